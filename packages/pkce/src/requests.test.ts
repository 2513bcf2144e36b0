import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { endpointsFromBaseUrl } from './endpoints.js';
import { isDeadGrant, PkceError, PkceErrorCode } from './errors.js';
import { exchangeCode } from './exchange-code.js';
import { refreshToken } from './refresh-token.js';
import { revokeToken } from './revoke-token.js';
import { TokenSet } from './token-set.js';
import type { PendingTransaction } from './types.js';

interface Recorded {
  url: string;
  method: string;
  headers: Headers;
  body: URLSearchParams;
  redirect: RequestRedirect | undefined;
  signal: AbortSignal | undefined;
}

function fakeFetch(answer: () => Response | Promise<Response>) {
  const calls: Recorded[] = [];
  const fetch: typeof globalThis.fetch = async (input, init) => {
    calls.push({
      url: String(input),
      method: init?.method ?? 'GET',
      headers: new Headers(init?.headers),
      body: new URLSearchParams(typeof init?.body === 'string' ? init.body : ''),
      redirect: init?.redirect,
      signal: init?.signal ?? undefined,
    });
    return answer();
  };
  return { fetch, calls };
}

const ok = () =>
  new Response(
    JSON.stringify({
      token_type: 'bearer',
      expires_in: 7200,
      access_token: 'new-access',
      scope: 'tweet.read offline.access',
      refresh_token: 'new-refresh',
    }),
    { status: 200, headers: { 'content-type': 'application/json' } },
  );

const transaction: PendingTransaction = {
  state: 's',
  codeVerifier: 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk',
  redirectUri: 'https://app.example/callback',
  scopes: ['tweet.read', 'offline.access'],
  createdAt: 0,
};
const publicClient = { clientId: 'public-id' };
const confidentialClient = { clientId: 'conf id', clientSecret: 'conf/secret' };
const tokens = new TokenSet({
  accessToken: 'old-access',
  refreshToken: 'old-refresh',
  expiresAt: 0,
  scopes: ['tweet.read', 'offline.access'],
  tokenType: 'bearer',
});

async function rejection(promise: Promise<unknown>): Promise<PkceError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof PkceError) return error;
    throw error;
  }
  throw new Error('expected a PkceError');
}

describe('exchangeCode', () => {
  it('sends a public client id in the body, without Authorization', async () => {
    const { fetch, calls } = fakeFetch(ok);
    const set = await exchangeCode({
      client: publicClient,
      code: 'the-code',
      transaction,
      fetch,
      now: () => 1000,
    });
    expect(set.accessToken).toBe('new-access');
    expect(set.expiresAt).toBe(1000 + 7_200_000);
    const [call] = calls;
    expect(call?.url).toBe('https://api.x.com/2/oauth2/token');
    expect(call?.method).toBe('POST');
    expect(call?.redirect).toBe('manual');
    expect(call?.headers.get('content-type')).toBe('application/x-www-form-urlencoded');
    expect(call?.headers.get('authorization')).toBeNull();
    expect(Object.fromEntries(call?.body ?? [])).toEqual({
      grant_type: 'authorization_code',
      code: 'the-code',
      redirect_uri: 'https://app.example/callback',
      code_verifier: transaction.codeVerifier,
      client_id: 'public-id',
    });
  });

  it('authenticates a confidential client with HTTP Basic and no client_id in the body', async () => {
    const { fetch, calls } = fakeFetch(ok);
    await exchangeCode({ client: confidentialClient, code: 'c', transaction, fetch });
    const [call] = calls;
    // RFC 6749 §2.3.1: form-encode id and secret, then Base64 "id:secret".
    expect(call?.headers.get('authorization')).toBe(`Basic ${btoa('conf+id:conf%2Fsecret')}`);
    expect(call?.body.has('client_id')).toBe(false);
    expect(call?.body.get('grant_type')).toBe('authorization_code');
  });

  it('uses the configured token endpoint', async () => {
    const { fetch, calls } = fakeFetch(ok);
    await exchangeCode({
      client: publicClient,
      code: 'c',
      transaction,
      fetch,
      endpoints: endpointsFromBaseUrl('http://localhost:9999'),
    });
    expect(calls[0]?.url).toBe('http://localhost:9999/2/oauth2/token');
  });

  it('refuses an insecure endpoint before sending anything', async () => {
    const { fetch, calls } = fakeFetch(ok);
    const error = await rejection(
      exchangeCode({
        client: publicClient,
        code: 'c',
        transaction,
        fetch,
        endpoints: { token: 'http://api.example/token' },
      }),
    );
    expect(error.code).toBe(PkceErrorCode.InsecureEndpoint);
    expect(calls).toHaveLength(0);
  });

  it('refuses bad arguments before sending anything', async () => {
    const { fetch, calls } = fakeFetch(ok);
    for (const options of [
      { client: { clientId: '' }, code: 'c', transaction },
      { client: { clientId: 'x', clientSecret: '' }, code: 'c', transaction },
      { client: publicClient, code: '', transaction },
      { client: publicClient, code: 'c', transaction: { ...transaction, codeVerifier: 'short' } },
      { client: publicClient, code: 'c', transaction: { ...transaction, redirectUri: 'relative' } },
    ]) {
      expect((await rejection(exchangeCode({ ...options, fetch }))).code).toBe(
        PkceErrorCode.InvalidArgument,
      );
    }
    expect(calls).toHaveLength(0);
  });

  it('turns a fetch failure into a retryable PKCE_NETWORK_ERROR', async () => {
    const { fetch } = fakeFetch(() => {
      throw new TypeError('fetch failed');
    });
    const error = await rejection(
      exchangeCode({ client: publicClient, code: 'c', transaction, fetch }),
    );
    expect(error.code).toBe(PkceErrorCode.NetworkError);
    expect(error.retryable).toBe(true);
    expect(isDeadGrant(error)).toBe(false);
  });

  it('passes the signal through and rethrows its abort reason', async () => {
    const controller = new AbortController();
    const reason = new Error('stop');
    const { fetch, calls } = fakeFetch(() => {
      controller.abort(reason);
      throw new DOMException('aborted', 'AbortError');
    });
    await expect(
      exchangeCode({
        client: publicClient,
        code: 'c',
        transaction,
        fetch,
        signal: controller.signal,
      }),
    ).rejects.toBe(reason);
    expect(calls[0]?.signal).toBe(controller.signal);
  });

  it('rethrows the abort reason when the signal fires while the answer is read', async () => {
    const controller = new AbortController();
    const reason = new Error('gone');
    const { fetch } = fakeFetch(() => {
      const body = new ReadableStream({
        start(stream) {
          controller.signal.addEventListener('abort', () =>
            stream.error(new DOMException('aborted', 'AbortError')),
          );
        },
      });
      setTimeout(() => controller.abort(reason), 10);
      return new Response(body, { status: 200 });
    });
    await expect(
      exchangeCode({
        client: publicClient,
        code: 'c',
        transaction,
        fetch,
        signal: controller.signal,
      }),
    ).rejects.toBe(reason);
  });
});

describe('no secret in errors', () => {
  it('keeps the secret, code, verifier and tokens out of every error, its inspection and JSON', async () => {
    const failures = [
      () => {
        throw new TypeError('fetch failed');
      },
      () => new Response('{"error":"invalid_request"}', { status: 400 }),
      () => new Response('<html>', { status: 502 }),
      () => new Response('{"error":"invalid_client"}', { status: 401 }),
    ];
    for (const answer of failures) {
      const { fetch } = fakeFetch(answer);
      const errors = [
        await rejection(
          exchangeCode({ client: confidentialClient, code: 'SECRET-CODE', transaction, fetch }),
        ),
        await rejection(refreshToken({ client: confidentialClient, tokenSet: tokens, fetch })),
        await rejection(revokeToken({ client: confidentialClient, token: 'old-access', fetch })),
      ];
      for (const error of errors) {
        for (const text of [error.message, inspect(error, { depth: 10 }), JSON.stringify(error)]) {
          for (const secret of [
            'conf/secret',
            'conf%2Fsecret',
            btoa('conf+id:conf%2Fsecret'),
            'SECRET-CODE',
            transaction.codeVerifier,
            'old-refresh',
            'old-access',
          ]) {
            expect(text).not.toContain(secret);
          }
        }
      }
    }
  });
});

describe('refreshToken', () => {
  it('sends the refresh token grant and returns a new set, leaving the old one untouched', async () => {
    const { fetch, calls } = fakeFetch(ok);
    const next = await refreshToken({ client: publicClient, tokenSet: tokens, fetch });
    expect(Object.fromEntries(calls[0]?.body ?? [])).toEqual({
      grant_type: 'refresh_token',
      refresh_token: 'old-refresh',
      client_id: 'public-id',
    });
    expect(next).not.toBe(tokens);
    expect(next.refreshToken).toBe('new-refresh');
    expect(tokens.refreshToken).toBe('old-refresh');
  });

  it('uses HTTP Basic for a confidential client', async () => {
    const { fetch, calls } = fakeFetch(ok);
    await refreshToken({ client: confidentialClient, tokenSet: tokens, fetch });
    expect(calls[0]?.headers.get('authorization')).toMatch(/^Basic /);
    expect(calls[0]?.body.has('client_id')).toBe(false);
  });

  it('refuses a set without offline.access or a refresh token before sending anything', async () => {
    const { fetch, calls } = fakeFetch(ok);
    const withoutOffline = new TokenSet({ ...tokens, scopes: ['tweet.read'], refreshToken: 'r' });
    const withoutRefresh = new TokenSet({
      accessToken: 'a',
      expiresAt: 0,
      scopes: ['tweet.read', 'offline.access'],
      tokenType: 'bearer',
    });
    for (const tokenSet of [withoutOffline, withoutRefresh]) {
      expect((await rejection(refreshToken({ client: publicClient, tokenSet, fetch }))).code).toBe(
        PkceErrorCode.MissingOfflineAccess,
      );
    }
    expect(calls).toHaveLength(0);
  });

  it('reports a dead refresh token as dead, and a 503 as retryable', async () => {
    const dead = fakeFetch(
      () =>
        new Response(
          JSON.stringify({
            error: 'invalid_request',
            error_description: 'Value passed for the token was invalid.',
          }),
          { status: 400 },
        ),
    );
    const deadError = await rejection(
      refreshToken({ client: publicClient, tokenSet: tokens, fetch: dead.fetch }),
    );
    expect(deadError.code).toBe(PkceErrorCode.RefreshTokenDead);
    expect(isDeadGrant(deadError)).toBe(true);
    const busy = fakeFetch(() => new Response('{"title":"Service Unavailable"}', { status: 503 }));
    const busyError = await rejection(
      refreshToken({ client: publicClient, tokenSet: tokens, fetch: busy.fetch }),
    );
    expect(busyError.retryable).toBe(true);
    expect(isDeadGrant(busyError)).toBe(false);
  });

  it('keeps the old scopes when the answer has none', async () => {
    const { fetch } = fakeFetch(
      () =>
        new Response(
          JSON.stringify({
            token_type: 'bearer',
            expires_in: 60,
            access_token: 'a',
            refresh_token: 'r',
          }),
        ),
    );
    const next = await refreshToken({ client: publicClient, tokenSet: tokens, fetch });
    expect(next.scopes).toEqual(tokens.scopes);
  });
});

describe('revokeToken', () => {
  it('sends token and token_type_hint and accepts {"revoked":true}', async () => {
    const { fetch, calls } = fakeFetch(() => new Response('{"revoked":true}', { status: 200 }));
    await revokeToken({
      client: publicClient,
      token: 'tok',
      tokenTypeHint: 'refresh_token',
      fetch,
    });
    expect(calls[0]?.url).toBe('https://api.x.com/2/oauth2/revoke');
    expect(Object.fromEntries(calls[0]?.body ?? [])).toEqual({
      token: 'tok',
      token_type_hint: 'refresh_token',
      client_id: 'public-id',
    });
  });

  it('uses HTTP Basic for a confidential client', async () => {
    const { fetch, calls } = fakeFetch(() => new Response('{"revoked":true}', { status: 200 }));
    await revokeToken({ client: confidentialClient, token: 'tok', fetch });
    expect(calls[0]?.headers.get('authorization')).toMatch(/^Basic /);
    expect(calls[0]?.body.has('token_type_hint')).toBe(false);
  });

  it('refuses an answer that does not confirm the revocation', async () => {
    for (const body of ['{"revoked":false}', '{}', 'yes']) {
      const { fetch } = fakeFetch(() => new Response(body, { status: 200 }));
      expect(
        (await rejection(revokeToken({ client: publicClient, token: 'tok', fetch }))).code,
      ).toBe(PkceErrorCode.InvalidResponse);
    }
  });

  it('reports errors with their codes', async () => {
    const { fetch } = fakeFetch(
      () =>
        new Response(
          '{"error":"unauthorized_client","error_description":"Missing valid authorization header"}',
          { status: 401 },
        ),
    );
    expect((await rejection(revokeToken({ client: publicClient, token: 'tok', fetch }))).code).toBe(
      PkceErrorCode.InvalidClient,
    );
  });
});
