import { type Emulator, startEmulator } from '@x-oauth/emulator';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  createAuthorization,
  endpointsFromBaseUrl,
  exchangeCode,
  handleCallback,
  isDeadGrant,
  isExpired,
  type OAuth2Client,
  type OAuth2Endpoints,
  openTransaction,
  PkceError,
  PkceErrorCode,
  refreshToken,
  revokeToken,
  sealTransaction,
  type TokenSet,
  type XScope,
} from '../src/index.js';
import { consent } from './consent.js';

let x: Emulator;
let endpoints: OAuth2Endpoints;
let confidential: OAuth2Client;
let publicClient: OAuth2Client;
const confidentialRedirect = 'http://127.0.0.1:3000/oauth2/callback';
const publicRedirect = 'http://127.0.0.1:5173/spa/callback';

beforeAll(async () => {
  x = await startEmulator({ port: 0 });
  endpoints = endpointsFromBaseUrl(x.url);
  const { clientId, clientSecret } = x.app;
  if (clientSecret === undefined) throw new Error('the seeded app should be confidential');
  confidential = { clientId, clientSecret };
  publicClient = { clientId: x.publicApp.clientId };
  x.addCallbackUrl(x.publicApp.id, publicRedirect);
});

afterAll(async () => {
  await x?.close();
});

beforeEach(() => {
  x.clearFaults();
  x.setStrictRefreshReuse(false);
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

async function authorize(
  client: OAuth2Client,
  options: { scopes?: readonly XScope[]; action?: 'authorize' | 'cancel'; userId?: string } = {},
) {
  const redirectUri = client.clientSecret === undefined ? publicRedirect : confidentialRedirect;
  const { url, transaction } = await createAuthorization({
    clientId: client.clientId,
    redirectUri,
    scopes: options.scopes ?? ['tweet.read', 'users.read', 'offline.access'],
    endpoints,
    now: () => x.now(),
  });
  const choice = {
    ...(options.action === undefined ? {} : { action: options.action }),
    ...(options.userId === undefined ? {} : { userId: options.userId }),
  };
  const callbackUrl = await consent(url, choice);
  return { url, transaction, callbackUrl };
}

async function signIn(client: OAuth2Client, scopes?: readonly XScope[]): Promise<TokenSet> {
  const { transaction, callbackUrl } = await authorize(
    client,
    scopes === undefined ? {} : { scopes },
  );
  const code = handleCallback(callbackUrl, transaction);
  return exchangeCode({ client, code, transaction, endpoints, now: () => x.now() });
}

function tokenRequests(): number {
  return x.requestLog().filter((entry) => entry.endpoint === 'POST /2/oauth2/token').length;
}

describe('authorization code flow against the emulator', () => {
  it('a confidential client authorizes, exchanges (HTTP Basic), refreshes and revokes', async () => {
    const { transaction, callbackUrl } = await authorize(confidential);
    expect(callbackUrl.startsWith(`${confidentialRedirect}?`)).toBe(true);
    const code = handleCallback(callbackUrl, transaction);
    const at = x.now();
    const tokens = await exchangeCode({
      client: confidential,
      code,
      transaction,
      endpoints,
      now: () => at,
    });
    expect(tokens.tokenType).toBe('bearer');
    expect([...tokens.scopes].sort()).toEqual(['offline.access', 'tweet.read', 'users.read']);
    expect(tokens.refreshToken).toEqual(expect.any(String));
    expect(tokens.expiresAt).toBe(at + 7_200_000);
    expect(isExpired(tokens, 60_000, () => x.now())).toBe(false);
    const lastToken = x
      .requestLog()
      .filter((entry) => entry.endpoint === 'POST /2/oauth2/token')
      .at(-1);
    expect(lastToken).toMatchObject({ status: 200, auth: 'basic' });

    const refreshed = await refreshToken({ client: confidential, tokenSet: tokens, endpoints });
    expect(refreshed.accessToken).not.toBe(tokens.accessToken);
    expect(refreshed.refreshToken).toEqual(expect.any(String));
    expect(refreshed.refreshToken).not.toBe(tokens.refreshToken);

    // The old refresh token died with its use: X answers invalid_request, which is a dead grant.
    const dead = await rejection(
      refreshToken({ client: confidential, tokenSet: tokens, endpoints }),
    );
    expect(dead.code).toBe(PkceErrorCode.RefreshTokenDead);
    expect(dead.status).toBe(400);
    expect(isDeadGrant(dead)).toBe(true);
    expect(dead.retryable).toBe(false);

    await revokeToken({
      client: confidential,
      token: refreshed.accessToken,
      tokenTypeHint: 'access_token',
      endpoints,
    });
  });

  it('a public client sends client_id in the body and needs no secret', async () => {
    const tokens = await signIn(publicClient);
    expect(tokens.refreshToken).toEqual(expect.any(String));
    const refreshed = await refreshToken({ client: publicClient, tokenSet: tokens, endpoints });
    expect(refreshed.refreshToken).not.toBe(tokens.refreshToken);
    await revokeToken({
      client: publicClient,
      token: refreshed.refreshToken ?? '',
      tokenTypeHint: 'refresh_token',
      endpoints,
    });
    // A revoked refresh token is dead, not a network problem.
    const error = await rejection(
      refreshToken({ client: publicClient, tokenSet: refreshed, endpoints }),
    );
    expect(isDeadGrant(error)).toBe(true);
  });

  it('the transaction survives the redirect sealed in a cookie value', async () => {
    const key = crypto.getRandomValues(new Uint8Array(32));
    const { url, transaction } = await createAuthorization({
      clientId: confidential.clientId,
      redirectUri: confidentialRedirect,
      scopes: ['tweet.read', 'users.read'],
      endpoints,
    });
    const cookie = await sealTransaction(transaction, key);
    const callbackUrl = await consent(url);
    // Another instance of the server: only the key is shared.
    const opened = await openTransaction(cookie, key, { maxAgeMs: 10 * 60 * 1000 });
    const code = handleCallback(callbackUrl, opened);
    const tokens = await exchangeCode({
      client: confidential,
      code,
      transaction: opened,
      endpoints,
    });
    expect(tokens.refreshToken).toBeUndefined();
    expect([...tokens.scopes].sort()).toEqual(['tweet.read', 'users.read']);
  });

  it('Cancel on the consent page becomes PKCE_ACCESS_DENIED', async () => {
    const { transaction, callbackUrl } = await authorize(confidential, { action: 'cancel' });
    expect(new URL(callbackUrl).searchParams.get('error')).toBe('access_denied');
    let error: unknown;
    try {
      handleCallback(callbackUrl, transaction);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(PkceError);
    expect(error).toMatchObject({ code: PkceErrorCode.AccessDenied, oauthError: 'access_denied' });
  });

  it('a callback answering another authorization is a state mismatch', async () => {
    const first = await authorize(confidential);
    const second = await authorize(confidential);
    expect(() => handleCallback(first.callbackUrl, second.transaction)).toThrow(
      expect.objectContaining({ code: PkceErrorCode.StateMismatch }),
    );
    // Single-use: the same transaction cannot be tried again, even with the right callback.
    expect(() => handleCallback(second.callbackUrl, second.transaction)).toThrow(
      expect.objectContaining({ code: PkceErrorCode.TransactionConsumed }),
    );
  });

  it('a reused code is PKCE_INVALID_GRANT', async () => {
    const { transaction, callbackUrl } = await authorize(confidential);
    const code = handleCallback(callbackUrl, transaction);
    await exchangeCode({ client: confidential, code, transaction, endpoints });
    const error = await rejection(
      exchangeCode({ client: confidential, code, transaction, endpoints }),
    );
    expect(error.code).toBe(PkceErrorCode.InvalidGrant);
    expect(error.status).toBe(400);
    expect(isDeadGrant(error)).toBe(true);
  });

  it('an expired code is PKCE_INVALID_GRANT', async () => {
    const { transaction, callbackUrl } = await authorize(confidential);
    const code = handleCallback(callbackUrl, transaction);
    x.advanceClock(31_000);
    const error = await rejection(
      exchangeCode({ client: confidential, code, transaction, endpoints }),
    );
    expect(error.code).toBe(PkceErrorCode.InvalidGrant);
  });

  it('a verifier that does not match the challenge is PKCE_INVALID_GRANT', async () => {
    const { transaction, callbackUrl } = await authorize(confidential);
    const code = handleCallback(callbackUrl, transaction);
    const wrong = { ...transaction, codeVerifier: 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk' };
    const error = await rejection(
      exchangeCode({ client: confidential, code, transaction: wrong, endpoints }),
    );
    expect(error.code).toBe(PkceErrorCode.InvalidGrant);
    expect(error.description).toMatch(/verifier/i);
  });

  it('a redirect URI that differs from the authorization request is PKCE_INVALID_GRANT', async () => {
    const { transaction, callbackUrl } = await authorize(confidential);
    const code = handleCallback(callbackUrl, transaction);
    const moved = { ...transaction, redirectUri: 'http://127.0.0.1:3000/elsewhere' };
    const error = await rejection(
      exchangeCode({ client: confidential, code, transaction: moved, endpoints }),
    );
    expect(error.code).toBe(PkceErrorCode.InvalidGrant);
  });

  it('a wrong secret, or a confidential client acting public, is PKCE_INVALID_CLIENT', async () => {
    for (const client of [
      { clientId: confidential.clientId, clientSecret: 'wrong-secret' },
      { clientId: confidential.clientId },
    ]) {
      const { transaction, callbackUrl } = await authorize(confidential);
      const code = handleCallback(callbackUrl, transaction);
      const error = await rejection(exchangeCode({ client, code, transaction, endpoints }));
      expect(error.code).toBe(PkceErrorCode.InvalidClient);
      expect(error.message).not.toContain('wrong-secret');
      expect(error.message).not.toContain(code);
    }
  });

  it('refresh without offline.access fails before anything is sent', async () => {
    const tokens = await signIn(confidential, ['tweet.read', 'users.read']);
    const before = tokenRequests();
    const error = await rejection(
      refreshToken({ client: confidential, tokenSet: tokens, endpoints }),
    );
    expect(error.code).toBe(PkceErrorCode.MissingOfflineAccess);
    expect(tokenRequests()).toBe(before);
  });

  it('with strict reuse detection, replaying a refresh token kills the whole family', async () => {
    x.setStrictRefreshReuse(true);
    const tokens = await signIn(confidential);
    const refreshed = await refreshToken({ client: confidential, tokenSet: tokens, endpoints });
    expect(
      isDeadGrant(
        await rejection(refreshToken({ client: confidential, tokenSet: tokens, endpoints })),
      ),
    ).toBe(true);
    expect(
      isDeadGrant(
        await rejection(refreshToken({ client: confidential, tokenSet: refreshed, endpoints })),
      ),
    ).toBe(true);
  });
});

describe('transient failures never mean the grant is dead', () => {
  it.each([
    ['a 503', { kind: 'status', status: 503 }, PkceErrorCode.ServerError],
    ['a 500', { kind: 'status', status: 500 }, PkceErrorCode.ServerError],
    ['a 429', { kind: 'status', status: 429 }, PkceErrorCode.RateLimited],
    ['a dropped connection', { kind: 'drop' }, PkceErrorCode.NetworkError],
  ] as const)(
    '%s on refresh is retryable, and the refresh token still works',
    async (_, fault, code) => {
      const tokens = await signIn(confidential);
      x.injectFault({ endpoint: 'POST /2/oauth2/token', times: 1, ...fault });
      const error = await rejection(
        refreshToken({ client: confidential, tokenSet: tokens, endpoints }),
      );
      expect(error.code).toBe(code);
      expect(error.retryable).toBe(true);
      expect(isDeadGrant(error)).toBe(false);
      const refreshed = await refreshToken({ client: confidential, tokenSet: tokens, endpoints });
      expect(refreshed.refreshToken).not.toBe(tokens.refreshToken);
    },
  );

  it('a malformed JSON answer is PKCE_INVALID_RESPONSE, not a dead grant', async () => {
    const tokens = await signIn(confidential);
    x.injectFault({ endpoint: 'POST /2/oauth2/token', kind: 'malformed-json', times: 1 });
    const error = await rejection(
      refreshToken({ client: confidential, tokenSet: tokens, endpoints }),
    );
    expect(error.code).toBe(PkceErrorCode.InvalidResponse);
    expect(isDeadGrant(error)).toBe(false);
  });

  it('latency is waited out, and an abort signal stops the request', async () => {
    const tokens = await signIn(confidential);
    x.injectFault({ endpoint: 'POST /2/oauth2/token', kind: 'latency', latencyMs: 300, times: 1 });
    const reason = new Error('user navigated away');
    const controller = new AbortController();
    setTimeout(() => controller.abort(reason), 50);
    await expect(
      refreshToken({
        client: confidential,
        tokenSet: tokens,
        endpoints,
        signal: controller.signal,
      }),
    ).rejects.toBe(reason);
  });
});

describe("the emulator's own rate limit", () => {
  it('a 429 from the token endpoint is retryable and says when to retry', async () => {
    const limited = await startEmulator({
      port: 0,
      rateLimits: { 'POST /2/oauth2/token': { limit: 1, appLimit: 1, windowSeconds: 900 } },
    });
    try {
      const limitedEndpoints = endpointsFromBaseUrl(limited.url);
      const client = { clientId: limited.publicApp.clientId };
      const redirectUri = limited.publicApp.callbackUrls[0] ?? '';
      const { url, transaction } = await createAuthorization({
        clientId: client.clientId,
        redirectUri,
        scopes: ['tweet.read', 'offline.access'],
        endpoints: limitedEndpoints,
      });
      const code = handleCallback(await consent(url), transaction);
      const tokens = await exchangeCode({ client, code, transaction, endpoints: limitedEndpoints });
      const error = await rejection(
        refreshToken({
          client,
          tokenSet: tokens,
          endpoints: limitedEndpoints,
          now: () => limited.now(),
        }),
      );
      expect(error.code).toBe(PkceErrorCode.RateLimited);
      expect(error.status).toBe(429);
      expect(error.retryable).toBe(true);
      expect(isDeadGrant(error)).toBe(false);
      const waitMs = (error.retryAt?.getTime() ?? 0) - limited.now();
      expect(waitMs).toBeGreaterThan(0);
      // x-rate-limit-reset is a whole epoch second, so up to one second more than the window.
      expect(waitMs).toBeLessThanOrEqual(901_000);
    } finally {
      await limited.close();
    }
  });
});
