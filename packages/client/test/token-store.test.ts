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
import { oauth2Auth, TokenSet, XApiErrorCode, XClient } from '../src/index.js';
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

function apiFor(store: TokenStore, userId: string): XClient {
  return new XClient({
    auth: oauth2Auth({ store: store.writer, appId: x.app.id, userId, client }),
    baseUrl: x.url,
  });
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
      expect((await storeB.reader.get(x.app.id, userId))?.version).toBe(3);
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
