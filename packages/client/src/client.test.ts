// XClient with an injected fetch: what goes on the wire, and how answers are read. The
// emulator tests in test/ cover the behaviour against a real server.
import { describe, expect, it } from 'vitest';
import { appOnlyAuth } from './auth/app-only.js';
import { XClient } from './client.js';
import { XApiErrorCode } from './errors.js';

interface Sent {
  url: string;
  init: RequestInit;
}

function fakeX(answer: () => Response): {
  fetch: (url: string, init: RequestInit) => Promise<Response>;
  sent: Sent[];
} {
  const sent: Sent[] = [];
  return {
    sent,
    fetch: async (url, init) => {
      sent.push({ url, init });
      return answer();
    },
  };
}

const auth = appOnlyAuth({ bearerToken: 'AAAA%2Fbearer' });

describe('XClient on the wire', () => {
  it('sends the method, URL, headers and JSON body, and never follows redirects', async () => {
    const x = fakeX(() => Response.json({ data: { id: '1' } }, { status: 201 }));
    const client = new XClient({ auth, baseUrl: 'https://api.x.com', fetch: x.fetch });
    const result = await client.request<{ data: { id: string } }>('post', '/2/tweets', {
      json: { text: 'hi' },
      headers: { 'X-Trace': 'abc' },
    });
    expect(result.status).toBe(201);
    expect(result.data.data.id).toBe('1');
    const [{ url, init }] = x.sent as [Sent];
    expect(url).toBe('https://api.x.com/2/tweets');
    expect(init.method).toBe('POST');
    expect(init.redirect).toBe('manual');
    expect(init.body).toBe('{"text":"hi"}');
    expect(init.headers).toMatchObject({
      authorization: 'Bearer AAAA%2Fbearer',
      'content-type': 'application/json',
      'x-trace': 'abc',
    });
  });

  it('resolves put/delete to the parsed body, text to text, and an empty body to undefined', async () => {
    const bodies = [
      Response.json({ ok: true }),
      new Response('plain', { headers: { 'content-type': 'text/plain' } }),
      new Response(null, { status: 204 }),
    ];
    const x = fakeX(() => bodies.shift() as Response);
    const client = new XClient({ auth, fetch: x.fetch });
    expect(await client.put('/2/lists/1')).toEqual({ ok: true });
    expect(await client.delete('/2/tweets/1')).toBe('plain');
    expect(await client.get('/2/nothing')).toBeUndefined();
    expect(x.sent.map((s) => s.init.method)).toEqual(['PUT', 'DELETE', 'GET']);
  });

  it('treats a redirect as an error (X_UNEXPECTED_STATUS), not something to follow', async () => {
    const x = fakeX(
      () => new Response(null, { status: 302, headers: { location: 'https://evil.example/' } }),
    );
    const client = new XClient({ auth, fetch: x.fetch, retries: 0 });
    await expect(client.get('/2/users/me')).rejects.toMatchObject({
      code: XApiErrorCode.UnexpectedStatus,
      status: 302,
    });
  });

  it('refuses bad options', () => {
    expect(() => new XClient({ auth: {} as never })).toThrow(
      expect.objectContaining({ code: XApiErrorCode.InvalidArgument }),
    );
    expect(() => new XClient({ auth, baseUrl: 'not a url' })).toThrow(
      expect.objectContaining({ code: XApiErrorCode.InvalidArgument }),
    );
    expect(() => new XClient({ auth, timeoutMs: 0 })).toThrow(
      expect.objectContaining({ code: XApiErrorCode.InvalidArgument }),
    );
    expect(() => new XClient({ auth, retries: -1 })).toThrow(
      expect.objectContaining({ code: XApiErrorCode.InvalidArgument }),
    );
  });

  it('shows nothing secret in util.inspect or JSON', () => {
    const client = new XClient({ auth, fetch: async () => new Response('') });
    expect(JSON.stringify(client)).toBe(
      '{"baseUrl":"https://api.x.com","auth":"app-only","identity":"app:app","clockOffsetMs":0}',
    );
    expect(JSON.stringify(auth)).not.toContain('AAAA');
    expect(JSON.stringify(auth)).toBe(
      '{"kind":"app-only","identity":"app:app","source":"bearerToken"}',
    );
  });
});

describe('XClient bounds', () => {
  it('waits out a 429 whose reset is already past at most three times (never a tight loop)', async () => {
    const past = Math.floor(Date.now() / 1000) - 10;
    const x = fakeX(
      () =>
        new Response('{"title":"Too Many Requests","type":"about:blank","status":429}', {
          status: 429,
          headers: {
            'x-rate-limit-limit': '1',
            'x-rate-limit-remaining': '0',
            'x-rate-limit-reset': String(past),
          },
        }),
    );
    const slept: number[] = [];
    const client = new XClient({
      auth,
      fetch: x.fetch,
      rateLimit: { onLimit: 'wait', maxWaitMs: 60_000 },
      retries: { sleep: async (ms) => void slept.push(ms) },
    });
    await expect(client.get('/2/users/me')).rejects.toMatchObject({
      code: XApiErrorCode.RateLimited,
    });
    expect(slept).toEqual([1000, 1000, 1000]);
    expect(x.sent).toHaveLength(4);
  });

  it('ignores a failing rate-limit store (Redis down): the answer still arrives', async () => {
    const broken = {
      get: async () => {
        throw new Error('store down');
      },
      put: async () => {
        throw new Error('store down');
      },
      list: async () => [],
    };
    const x = fakeX(() =>
      Response.json(
        { ok: 1 },
        {
          headers: {
            'x-rate-limit-limit': '9',
            'x-rate-limit-remaining': '8',
            'x-rate-limit-reset': '9999999999',
          },
        },
      ),
    );
    const client = new XClient({
      auth,
      fetch: x.fetch,
      rateLimit: { store: broken, holdWhenEmpty: true },
    });
    expect(await client.get('/2/users/me')).toEqual({ ok: 1 });
  });

  it('keeps only the system error code of a network failure, never its message', async () => {
    const client = new XClient({
      auth,
      retries: 0,
      fetch: async () => {
        throw new TypeError('fetch failed https://api.x.com/?oauth_token=SECRET', {
          cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
        });
      },
    });
    const error = await client.get('/2/users/me').catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: XApiErrorCode.NetworkError, causeCode: 'ECONNREFUSED' });
    expect(JSON.stringify(error)).not.toContain('SECRET');
    expect((await import('node:util')).inspect(error, { depth: 5 })).not.toContain('SECRET');
  });
});
