import { randomBytes } from 'node:crypto';
import { type Emulator, startEmulator } from '@x-oauth/emulator';
import {
  createKeyring,
  createMemoryBackend,
  createTokenStore,
  type TokenStore,
} from '@x-oauth/token-store';
import { createRedisBackend } from '@x-oauth/token-store/redis';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  endpointsFromBaseUrl,
  type FetchLike,
  oauth2Auth,
  refreshToken,
  revokeToken,
  TokenSet,
  XApiErrorCode,
  XClient,
} from '../src/index.js';
import { logOf, user } from './helpers.js';

let x: Emulator;
let client: { clientId: string; clientSecret: string };
const keyring = createKeyring({
  currentKeyId: 'k1',
  keys: { k1: Buffer.alloc(32, 3).toString('base64') },
});

beforeAll(async () => {
  // Theft detection on: a second refresh with the same (rotated) token would revoke the login.
  x = await startEmulator({ port: 0, strictRefreshReuse: true });
  client = { clientId: x.app.clientId, clientSecret: x.app.clientSecret as string };
});
afterAll(async () => {
  await x.close();
});
beforeEach(() => {
  x.clearRequestLog();
  x.clearFaults();
});

async function seed(
  store: TokenStore,
  name: string,
  expiresAt = Date.now() + 7_200_000,
): Promise<string> {
  const userId = user(x, name).id;
  const issued = x.issueOAuth2Token(x.app.id, userId, [
    'tweet.read',
    'users.read',
    'offline.access',
  ]);
  await store.writer.putOAuth2(
    x.app.id,
    userId,
    new TokenSet({
      accessToken: issued.accessToken,
      refreshToken: issued.refreshToken as string,
      expiresAt,
      scopes: issued.scope.split(' '),
      tokenType: 'bearer',
    }),
  );
  return userId;
}

function apiFor(store: TokenStore, userId: string, fetch?: FetchLike): XClient {
  return new XClient({
    auth: oauth2Auth({ store: store.writer, appId: x.app.id, userId, client }),
    baseUrl: x.url,
    ...(fetch === undefined ? {} : { fetch }),
  });
}

/** Closes stores that share one memory backend: counters flushed first, then the backend. */
async function closeAll(...stores: TokenStore[]): Promise<void> {
  for (const store of stores) await store.keyUsage();
  for (const store of stores) await store.close();
}

/** Revokes only the stored access token at X (RFC 7009); the refresh token stays live. */
async function revokeStoredAccessToken(store: TokenStore, userId: string): Promise<string> {
  const record = await store.reader.get(x.app.id, userId);
  if (record?.kind !== 'oauth2') throw new Error('no OAuth 2.0 record');
  await revokeToken({
    client,
    token: record.tokenSet.accessToken,
    tokenTypeHint: 'access_token',
    endpoints: endpointsFromBaseUrl(x.url),
  });
  x.clearRequestLog();
  return record.tokenSet.accessToken;
}

/** Refreshes the stored set directly: X (strict reuse) accepts only the live refresh token. */
async function storedRefreshTokenIsLive(store: TokenStore, userId: string): Promise<boolean> {
  const record = await store.reader.get(x.app.id, userId);
  if (record?.kind !== 'oauth2') return false;
  const next = await refreshToken({
    client,
    tokenSet: record.tokenSet,
    endpoints: endpointsFromBaseUrl(x.url),
  });
  await store.writer.putOAuth2(x.app.id, userId, next, { expectedVersion: record.version });
  return true;
}

describe('OAuth 2.0 through @x-oauth/token-store', () => {
  it('reads the stored set, and refreshes an expiring one before sending, storing the new set', async () => {
    const store = createTokenStore({ backend: createMemoryBackend(), keyring });
    const userId = await seed(store, 'alice', Date.now() + 5_000);
    const api = apiFor(store, userId);
    expect((await api.get<{ data: { username: string } }>('/2/users/me')).data.username).toBe(
      'alice',
    );
    expect(logOf(x, 'POST /2/oauth2/token')).toHaveLength(1);
    const record = await store.reader.get(x.app.id, userId);
    expect(record?.version).toBe(2);
    expect(api.identity).toBe(`user:${client.clientId}:${userId}`);
    await store.close();
  });

  it('on 401, two processes sharing the store refresh once between them and both retry once', async () => {
    const backend = createMemoryBackend();
    const storeA = createTokenStore({ backend, keyring });
    const storeB = createTokenStore({ backend, keyring });
    const userId = await seed(storeA, 'bob');
    const a = apiFor(storeA, userId);
    const b = apiFor(storeB, userId);
    await Promise.all([a.get('/2/users/me'), b.get('/2/users/me')]);
    x.clearRequestLog();
    // X's clock passes the access token's expiry; the store's does not know.
    x.advanceClock(7_300_000);
    try {
      const [fromA, fromB] = await Promise.all([
        a.get<{ data: { username: string } }>('/2/users/me'),
        b.get<{ data: { username: string } }>('/2/users/me'),
      ]);
      expect(fromA.data.username).toBe('bob');
      expect(fromB.data.username).toBe('bob');
    } finally {
      x.advanceClock(-7_300_000);
    }
    expect(logOf(x, 'POST /2/oauth2/token').map((entry) => entry.status)).toEqual([200]);
    expect(
      logOf(x, 'GET /2/users/me')
        .map((entry) => entry.status)
        .sort(),
    ).toEqual([200, 200, 401, 401]);
    await storeA.close();
    await storeB.close();
  });

  it('on 401 for a revoked token far from expiry, concurrent requests of two processes refresh once', async () => {
    const backend = createMemoryBackend();
    const storeA = createTokenStore({ backend, keyring });
    const storeB = createTokenStore({ backend, keyring });
    const userId = await seed(storeA, 'alice');
    const refused = await revokeStoredAccessToken(storeA, userId);
    const a = apiFor(storeA, userId);
    const b = apiFor(storeB, userId);
    const results = await Promise.all(
      [a, b, a, b, a, b].map((api) => api.get<{ data: { username: string } }>('/2/users/me')),
    );
    expect(results.map((result) => result.data.username)).toEqual(Array(6).fill('alice'));
    expect(logOf(x, 'POST /2/oauth2/token').map((entry) => entry.status)).toEqual([200]);
    const statuses = logOf(x, 'GET /2/users/me').map((entry) => entry.status);
    expect(statuses.filter((status) => status === 200)).toHaveLength(6);
    expect(statuses.filter((status) => status === 401)).toHaveLength(6);
    const record = await storeB.reader.get(x.app.id, userId);
    expect(record).toMatchObject({ version: 2, status: 'active' });
    expect(record?.kind === 'oauth2' && record.tokenSet.accessToken).not.toBe(refused);
    expect(await storedRefreshTokenIsLive(storeA, userId)).toBe(true);
    await closeAll(storeA, storeB);
  });

  for (const [label, expiresInMs] of [
    ['within five minutes of expiry', 3 * 60_000],
    ['two hours from expiry', 7_200_000],
  ] as const) {
    it(`a 401 right after a refresh (${label}) keeps the rotated token`, async () => {
      const backend = createMemoryBackend();
      const storeA = createTokenStore({ backend, keyring });
      const storeB = createTokenStore({ backend, keyring });
      const userId = await seed(storeA, 'bob', Date.now() + expiresInMs);
      const refused = await revokeStoredAccessToken(storeA, userId);
      // Process B's request is authorized with the refused token, then held on its way out
      // until process A has been refused, has refreshed and has retried.
      let arrived: () => void = () => undefined;
      const atFetch = new Promise<void>((resolve) => {
        arrived = resolve;
      });
      let release: () => void = () => undefined;
      const released = new Promise<void>((resolve) => {
        release = resolve;
      });
      let held = false;
      const holdFirst: FetchLike = async (input, init) => {
        if (!held && input.includes('/2/users/me')) {
          held = true;
          arrived();
          await released;
        }
        return fetch(input, init);
      };
      const a = apiFor(storeA, userId);
      const b = apiFor(storeB, userId, holdFirst);
      const fromB = b.get<{ data: { username: string } }>('/2/users/me');
      await atFetch;
      expect((await a.get<{ data: { username: string } }>('/2/users/me')).data.username).toBe(
        'bob',
      );
      expect(logOf(x, 'POST /2/oauth2/token')).toHaveLength(1);
      release();
      // B is refused the old token after the refresh: the store already holds another one,
      // so B retries with it and nothing is refreshed or written again.
      expect((await fromB).data.username).toBe('bob');
      expect(logOf(x, 'POST /2/oauth2/token')).toHaveLength(1);
      expect(logOf(x, 'GET /2/users/me').map((entry) => entry.status)).toEqual([
        401, 200, 401, 200,
      ]);
      const record = await storeB.reader.get(x.app.id, userId);
      expect(record).toMatchObject({ version: 2, status: 'active' });
      expect(record?.kind === 'oauth2' && record.tokenSet.accessToken).not.toBe(refused);
      // Strict reuse: had anyone refreshed with a spent token, the family would be revoked.
      expect(await storedRefreshTokenIsLive(storeB, userId)).toBe(true);
      await closeAll(storeA, storeB);
    });
  }

  it('a 401 for a stored set without a refresh token is thrown, with no refresh', async () => {
    const store = createTokenStore({ backend: createMemoryBackend(), keyring });
    const userId = user(x, 'alice').id;
    const issued = x.issueOAuth2Token(x.app.id, userId, ['tweet.read', 'users.read']);
    await store.writer.putOAuth2(
      x.app.id,
      userId,
      new TokenSet({
        accessToken: issued.accessToken,
        expiresAt: Date.now() + 7_200_000,
        scopes: issued.scope.split(' '),
        tokenType: 'bearer',
      }),
    );
    await revokeStoredAccessToken(store, userId);
    await expect(apiFor(store, userId).get('/2/users/me')).rejects.toMatchObject({
      code: XApiErrorCode.Unauthorized,
      status: 401,
    });
    expect(logOf(x, 'GET /2/users/me')).toHaveLength(1);
    expect(logOf(x, 'POST /2/oauth2/token')).toHaveLength(0);
    await store.close();
  });

  it('two processes on the Redis backend: one refresh between them after a 401', async () => {
    // A real Redis (scripts/services.sh); fails, never skips, without it. Own prefix per run.
    const url = process.env.X_OAUTH_TEST_REDIS ?? 'redis://127.0.0.1:6390';
    const prefix = `x-oauth-client-test:tokens:${randomBytes(6).toString('hex')}:`;
    const backendA = createRedisBackend({ url, prefix });
    const backendB = createRedisBackend({ url, prefix });
    const storeA = createTokenStore({ backend: backendA, keyring });
    const storeB = createTokenStore({ backend: backendB, keyring });
    try {
      const userId = await seed(storeA, 'alice');
      const a = apiFor(storeA, userId);
      const b = apiFor(storeB, userId);
      x.advanceClock(7_300_000);
      try {
        await Promise.all([a.get('/2/users/me'), b.get('/2/users/me'), a.get('/2/users/me')]);
      } finally {
        x.advanceClock(-7_300_000);
      }
      expect(logOf(x, 'POST /2/oauth2/token').map((entry) => entry.status)).toEqual([200]);
      // One write: the refresh itself (the client writes nothing outside the store's lock).
      expect((await storeB.reader.get(x.app.id, userId))?.version).toBe(2);
    } finally {
      await storeA.close();
      await storeB.close();
      const redis = new Redis(url);
      const keys = await redis.keys(`${prefix}*`);
      if (keys.length > 0) await redis.del(...keys);
      await redis.quit();
    }
  });

  it('checks the stored scopes before sending, from the first request on', async () => {
    const store = createTokenStore({ backend: createMemoryBackend(), keyring });
    const userId = await seed(store, 'alice');
    const api = apiFor(store, userId);
    await expect(api.post('/2/tweets', { json: { text: 'no tweet.write' } })).rejects.toMatchObject(
      {
        code: XApiErrorCode.InsufficientScope,
      },
    );
    expect(logOf(x, 'POST /2/tweets')).toHaveLength(0);
    await store.close();
  });

  it('a dead grant fails with X_REFRESH_FAILED and deadGrant (the store marks it needs_reauth)', async () => {
    const store = createTokenStore({ backend: createMemoryBackend(), keyring });
    const userId = await seed(store, 'alice');
    x.revokeUserTokens(x.app.id, userId);
    const api = apiFor(store, userId);
    await expect(api.get('/2/users/me')).rejects.toMatchObject({
      code: XApiErrorCode.RefreshFailed,
      deadGrant: true,
    });
    expect(logOf(x, 'GET /2/users/me')).toHaveLength(1);
    expect((await store.reader.get(x.app.id, userId))?.status).toBe('needs_reauth');
    await store.close();
  });
});
