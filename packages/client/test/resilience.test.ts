import { type Emulator, startEmulator } from '@x-oauth/emulator';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  appOnlyAuth,
  type FetchLike,
  oauth1Auth,
  RateLimitError,
  XApiErrorCode,
  XClient,
  type XClientOptions,
} from '../src/index.js';
import { logOf, user } from './helpers.js';

let x: Emulator;
const delays: number[] = [];
const fastRetries = {
  limit: 2,
  baseDelayMs: 100,
  random: () => 0.5,
  sleep: async (ms: number) => {
    delays.push(ms);
  },
};

beforeAll(async () => {
  x = await startEmulator({ port: 0 });
});
afterAll(async () => {
  await x.close();
});
beforeEach(() => {
  x.clearRequestLog();
  x.clearFaults();
  delays.length = 0;
});

function appClient(options: Partial<XClientOptions> = {}): XClient {
  return new XClient({
    auth: appOnlyAuth({ consumer: { key: x.app.consumerKey, secret: x.app.consumerSecret } }),
    baseUrl: x.url,
    retries: fastRetries,
    ...options,
  });
}

function userClient(options: Partial<XClientOptions> = {}): XClient {
  const issued = x.issueOAuth1Token(x.app.id, user(x, 'alice').id);
  return new XClient({
    auth: oauth1Auth({
      consumer: { key: x.app.consumerKey, secret: x.app.consumerSecret },
      token: issued,
    }),
    baseUrl: x.url,
    retries: fastRetries,
    ...options,
  });
}

describe('retries', () => {
  it('retries a GET after a 503 with jittered backoff', async () => {
    const api = appClient();
    await api.get('/2/tweets', { query: { ids: '1' } }); // obtains the token first
    x.clearRequestLog();
    x.injectFault({ endpoint: 'GET /2/tweets', kind: 'status', status: 503, times: 2 });
    await api.get('/2/tweets', { query: { ids: '1' } });
    expect(logOf(x, 'GET /2/tweets').map((entry) => entry.status)).toEqual([503, 503, 200]);
    expect(delays).toEqual([50, 100]);
  });

  it('gives up after the limit with X_SERVER_ERROR', async () => {
    const api = appClient();
    x.injectFault({ endpoint: 'GET /2/tweets', kind: 'status', status: 500 });
    await expect(api.get('/2/tweets', { query: { ids: '1' } })).rejects.toMatchObject({
      code: XApiErrorCode.ServerError,
      status: 500,
      retryable: true,
    });
    expect(logOf(x, 'GET /2/tweets')).toHaveLength(3);
  });

  it('retries a dropped connection (GET) as a network error', async () => {
    const api = appClient();
    await api.get('/2/tweets', { query: { ids: '1' } });
    x.clearRequestLog();
    x.injectFault({ endpoint: 'GET /2/tweets', kind: 'drop', times: 1 });
    await api.get('/2/tweets', { query: { ids: '1' } });
    expect(logOf(x, 'GET /2/tweets').map((entry) => entry.status)).toEqual([0, 200]);
  });

  it('retries a truncated JSON body (GET), and reports X_INVALID_RESPONSE when it persists', async () => {
    const api = appClient();
    x.injectFault({ endpoint: 'GET /2/tweets', kind: 'malformed-json', times: 1 });
    expect(await api.get('/2/tweets', { query: { ids: '1' } })).toMatchObject({
      errors: expect.any(Array),
    });
    x.injectFault({ endpoint: 'GET /2/tweets', kind: 'malformed-json' });
    await expect(api.get('/2/tweets', { query: { ids: '1' } })).rejects.toMatchObject({
      code: XApiErrorCode.InvalidResponse,
    });
  });

  it('never sends POST /2/tweets twice: not after a 503, not after a dropped connection', async () => {
    const api = userClient();
    x.injectFault({ endpoint: 'POST /2/tweets', kind: 'status', status: 503, times: 1 });
    await expect(
      api.post('/2/tweets', { json: { text: `once ${Date.now()}` } }),
    ).rejects.toMatchObject({
      code: XApiErrorCode.ServerError,
    });
    x.injectFault({ endpoint: 'POST /2/tweets', kind: 'drop', times: 1 });
    await expect(
      api.post('/2/tweets', { json: { text: `once more ${Date.now()}` } }),
    ).rejects.toMatchObject({
      code: XApiErrorCode.NetworkError,
    });
    expect(logOf(x, 'POST /2/tweets')).toHaveLength(2);
  });

  it('sends POST /2/tweets again only with retryNonIdempotent: true', async () => {
    const api = userClient({ retries: { ...fastRetries, retryNonIdempotent: true } });
    x.injectFault({ endpoint: 'POST /2/tweets', kind: 'status', status: 503, times: 1 });
    const posted = await api.post<{ data: { id: string } }>('/2/tweets', {
      json: { text: `twice ${Date.now()}` },
    });
    expect(posted.data.id).toBeDefined();
    expect(logOf(x, 'POST /2/tweets').map((entry) => entry.status)).toEqual([503, 201]);
  });
});

/**
 * The emulator's injected faults carry no `Retry-After` header, so this fetch adds one to the
 * emulator's real 503 or 429 answer (dropping its x-rate-limit-* headers on a 429, as a proxy
 * in front of X would answer). `headers` may also set a `date`.
 */
function withRetryAfter(headers: (response: Response) => Record<string, string>): FetchLike {
  return async (input, init) => {
    const response = await fetch(input, init);
    if (response.status !== 503 && response.status !== 429) return response;
    const changed = new Headers(response.headers);
    if (response.status === 429) {
      for (const name of [...changed.keys()]) {
        if (name.startsWith('x-rate-limit-')) changed.delete(name);
      }
    }
    for (const [name, value] of Object.entries(headers(response))) changed.set(name, value);
    return new Response(await response.text(), { status: response.status, headers: changed });
  };
}

describe('Retry-After', () => {
  it('waits the seconds a 503 asks for before retrying a GET', async () => {
    const api = appClient({ fetch: withRetryAfter(() => ({ 'retry-after': '3' })) });
    await api.get('/2/tweets', { query: { ids: '1' } });
    x.clearRequestLog();
    x.injectFault({ endpoint: 'GET /2/tweets', kind: 'status', status: 503, times: 1 });
    await api.get('/2/tweets', { query: { ids: '1' } });
    expect(logOf(x, 'GET /2/tweets').map((entry) => entry.status)).toEqual([503, 200]);
    expect(delays).toEqual([3000]);
  });

  it("reads an HTTP-date against X's Date header", async () => {
    const date = Date.parse('Mon, 23 Nov 2026 09:00:00 GMT');
    const api = appClient({
      // The local clock is an hour off: the wait still comes from X's Date header.
      now: () => date - 3_600_000,
      fetch: withRetryAfter(() => ({
        date: new Date(date).toUTCString(),
        'retry-after': new Date(date + 4_000).toUTCString(),
      })),
    });
    x.injectFault({ endpoint: 'GET /2/tweets', kind: 'status', status: 503, times: 1 });
    await api.get('/2/tweets', { query: { ids: '1' } });
    expect(delays).toEqual([4000]);
  });

  it('gives up at once when Retry-After exceeds maxWaitMs, instead of retrying sooner', async () => {
    const api = appClient({
      fetch: withRetryAfter(() => ({ 'retry-after': '5' })),
      rateLimit: { maxWaitMs: 2000 },
    });
    await api.get('/2/tweets', { query: { ids: '1' } });
    x.clearRequestLog();
    x.injectFault({ endpoint: 'GET /2/tweets', kind: 'status', status: 503, times: 1 });
    await expect(api.get('/2/tweets', { query: { ids: '1' } })).rejects.toMatchObject({
      code: XApiErrorCode.ServerError,
      status: 503,
    });
    expect(logOf(x, 'GET /2/tweets').map((entry) => entry.status)).toEqual([503]);
    expect(delays).toEqual([]);
  });

  it('still never sends a POST twice after a 503 with Retry-After, unless opted in', async () => {
    const fetchWithRetryAfter = withRetryAfter(() => ({ 'retry-after': '1' }));
    const api = userClient({ fetch: fetchWithRetryAfter });
    x.injectFault({ endpoint: 'POST /2/tweets', kind: 'status', status: 503, times: 1 });
    await expect(
      api.post('/2/tweets', { json: { text: `once ${Date.now()}` } }),
    ).rejects.toMatchObject({ code: XApiErrorCode.ServerError });
    expect(logOf(x, 'POST /2/tweets')).toHaveLength(1);
    expect(delays).toEqual([]);
    const optedIn = userClient({
      fetch: fetchWithRetryAfter,
      retries: { ...fastRetries, retryNonIdempotent: true },
    });
    x.injectFault({ endpoint: 'POST /2/tweets', kind: 'status', status: 503, times: 1 });
    await optedIn.post('/2/tweets', { json: { text: `twice ${Date.now()}` } });
    expect(logOf(x, 'POST /2/tweets').map((entry) => entry.status)).toEqual([503, 503, 201]);
    expect(delays).toEqual([1000]);
  });

  it("aborts the Retry-After wait with the caller's signal", async () => {
    const api = appClient({
      fetch: withRetryAfter(() => ({ 'retry-after': '30' })),
      retries: { limit: 2 },
    });
    await api.get('/2/tweets', { query: { ids: '1' } });
    x.clearRequestLog();
    x.injectFault({ endpoint: 'GET /2/tweets', kind: 'status', status: 503 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('shutting down')), 300);
    const started = Date.now();
    await expect(
      api.get('/2/tweets', { query: { ids: '1' }, signal: controller.signal }),
    ).rejects.toThrow('shutting down');
    expect(Date.now() - started).toBeLessThan(5_000);
    // Aborted during the 30 s wait: the one 503 was not followed by a jittered early retry.
    expect(logOf(x, 'GET /2/tweets').map((entry) => entry.status)).toEqual([503]);
  });

  it('on a 429 without x-rate-limit-reset, waits Retry-After (onLimit: wait) for a GET only', async () => {
    const fetchWithRetryAfter = withRetryAfter(() => ({ 'retry-after': '2' }));
    const api = appClient({ fetch: fetchWithRetryAfter, rateLimit: { onLimit: 'wait' } });
    await api.get('/2/tweets', { query: { ids: '1' } });
    x.clearRequestLog();
    x.injectFault({ endpoint: 'GET /2/tweets', kind: 'status', status: 429, times: 1 });
    await api.get('/2/tweets', { query: { ids: '1' } });
    expect(logOf(x, 'GET /2/tweets').map((entry) => entry.status)).toEqual([429, 200]);
    expect(delays).toEqual([2000]);

    // A POST is not sent again on Retry-After alone; the error says when to try again.
    delays.length = 0;
    const poster = userClient({ fetch: fetchWithRetryAfter, rateLimit: { onLimit: 'wait' } });
    x.injectFault({ endpoint: 'POST /2/tweets', kind: 'status', status: 429, times: 1 });
    const before = Date.now();
    const error = await poster
      .post('/2/tweets', { json: { text: `limited ${Date.now()}` } })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RateLimitError);
    const resetAt = (error as RateLimitError).retryAt?.getTime() ?? 0;
    expect(resetAt).toBeGreaterThanOrEqual(before + 2000 - 1000);
    expect(resetAt).toBeLessThanOrEqual(Date.now() + 2000 + 1000);
    expect(logOf(x, 'POST /2/tweets')).toHaveLength(1);
    expect(delays).toEqual([]);
  });
});

describe('timeouts and aborts', () => {
  it('times each attempt out (X_TIMEOUT) and retries an idempotent one', async () => {
    const api = appClient({ timeoutMs: 150 });
    await api.get('/2/tweets', { query: { ids: '1' } });
    x.injectFault({ endpoint: 'GET /2/tweets', kind: 'latency', latencyMs: 600, times: 1 });
    const started = Date.now();
    await api.get('/2/tweets', { query: { ids: '1' } });
    expect(Date.now() - started).toBeLessThan(600);
    x.injectFault({ endpoint: 'GET /2/tweets', kind: 'latency', latencyMs: 600 });
    await expect(
      api.get('/2/tweets', { query: { ids: '1' }, timeoutMs: 100 }),
    ).rejects.toMatchObject({
      code: XApiErrorCode.Timeout,
    });
  });

  it('times out only the slow one of concurrent attempts sharing a timer', async () => {
    const api = appClient({ timeoutMs: 500, retries: 0 });
    await api.get('/2/tweets', { query: { ids: '1' } });
    x.injectFault({ endpoint: 'GET /2/tweets', kind: 'latency', latencyMs: 2000, times: 1 });
    const slow = api.get('/2/tweets', { query: { ids: '1' } });
    const fast = Array.from({ length: 5 }, () =>
      api.get('/2/tweets/search/recent', { query: { query: 'emulator' } }),
    );
    await expect(slow).rejects.toMatchObject({ code: XApiErrorCode.Timeout });
    await expect(Promise.all(fast)).resolves.toHaveLength(5);
    // The timer that fired is not used again: the next request gets a fresh one.
    await expect(api.get('/2/tweets', { query: { ids: '1' } })).resolves.toBeDefined();
  });

  it("times an attempt out when a caller's signal is given but not aborted", async () => {
    const api = appClient({ timeoutMs: 300, retries: 0 });
    await api.get('/2/tweets', { query: { ids: '1' } });
    x.injectFault({ endpoint: 'GET /2/tweets', kind: 'latency', latencyMs: 2000, times: 1 });
    const controller = new AbortController();
    await expect(
      api.get('/2/tweets', { query: { ids: '1' }, signal: controller.signal }),
    ).rejects.toMatchObject({ code: XApiErrorCode.Timeout });
  });

  it("rejects with the caller's abort reason, not a timeout", async () => {
    const api = appClient();
    await api.get('/2/tweets', { query: { ids: '1' } });
    x.injectFault({ endpoint: 'GET /2/tweets', kind: 'latency', latencyMs: 1000, times: 1 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('user navigated away')), 50);
    await expect(
      api.get('/2/tweets', { query: { ids: '1' }, signal: controller.signal }),
    ).rejects.toThrow('user navigated away');
    await expect(
      api.get('/2/tweets', { signal: AbortSignal.abort(new Error('early')) }),
    ).rejects.toThrow('early');
  });

  it('reports a refused connection as X_NETWORK_ERROR', async () => {
    const closed = await startEmulator({ port: 0 });
    const url = closed.url;
    await closed.close();
    const api = new XClient({
      auth: appOnlyAuth({ bearerToken: 'AAAA%2Fnot-real' }),
      baseUrl: url,
      retries: 0,
    });
    await expect(api.get('/2/tweets')).rejects.toMatchObject({ code: XApiErrorCode.NetworkError });
  });
});
