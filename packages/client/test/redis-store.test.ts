import { randomBytes } from 'node:crypto';
import { type Emulator, startEmulator } from '@x-oauth/emulator';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { oauth1Auth, XApiErrorCode, XClient } from '../src/index.js';
import { createRedisRateLimitStore } from '../src/redis.js';
import { user } from './helpers.js';

// A real Redis (scripts/services.sh starts one); the test fails, never skips, without it.
const REDIS_URL = process.env.X_OAUTH_TEST_REDIS ?? 'redis://127.0.0.1:6390';
const prefix = `x-oauth-client-test:${randomBytes(6).toString('hex')}:`;
let redis: Redis;
let x: Emulator;

beforeAll(async () => {
  redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1, connectTimeout: 2000 });
  await redis.ping();
  x = await startEmulator({
    port: 0,
    rateLimits: { 'GET /2/users/me': { limit: 2, windowSeconds: 60 } },
  });
});
afterAll(async () => {
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length > 0) await redis.del(...keys);
  await redis.quit();
  await x.close();
});

describe('createRedisRateLimitStore', () => {
  it('stores pools with their expiry and keeps the lower remaining of one window', async () => {
    const store = createRedisRateLimitStore({ client: redis, prefix });
    const resetAt = Date.now() + 60_000;
    await store.put({
      key: 'user:a:1 GET /2/users/me',
      kind: 'window',
      limit: 75,
      remaining: 10,
      resetAt,
    });
    await store.put({
      key: 'user:a:1 GET /2/users/me',
      kind: 'window',
      limit: 75,
      remaining: 12,
      resetAt,
    });
    expect(await store.get('user:a:1 GET /2/users/me')).toEqual({
      key: 'user:a:1 GET /2/users/me',
      kind: 'window',
      limit: 75,
      remaining: 10,
      resetAt,
    });
    await store.put({
      key: 'user:a:1 GET /2/users/me',
      kind: 'window',
      limit: 75,
      remaining: 74,
      resetAt: resetAt + 900_000,
    });
    expect((await store.get('user:a:1 GET /2/users/me'))?.remaining).toBe(74);
    const ttl = await redis.pttl(`${prefix}user:a:1 GET /2/users/me`);
    expect(ttl).toBeGreaterThan(900_000);
    expect(await store.get('missing')).toBeUndefined();
    expect((await store.list(Date.now())).map((pool) => pool.key)).toContain(
      'user:a:1 GET /2/users/me',
    );
  });

  it('shares pools between clients (processes): one exhausts, the other holds without sending', async () => {
    const store = createRedisRateLimitStore({ url: REDIS_URL, prefix: `${prefix}shared:` });
    try {
      const issued = x.issueOAuth1Token(x.app.id, user(x, 'alice').id);
      const options = {
        auth: oauth1Auth({
          consumer: { key: x.app.consumerKey, secret: x.app.consumerSecret },
          token: issued,
        }),
        baseUrl: x.url,
        rateLimit: { store, holdWhenEmpty: true },
      };
      const first = new XClient(options);
      const second = new XClient(options);
      await first.get('/2/users/me');
      await first.get('/2/users/me');
      x.clearRequestLog();
      await expect(second.get('/2/users/me')).rejects.toMatchObject({
        code: XApiErrorCode.RateLimited,
      });
      expect(x.requestLog()).toHaveLength(0);
      const pools = await second.rateLimits();
      expect(pools.find((pool) => pool.key.endsWith('GET /2/users/me'))).toMatchObject({
        remaining: 0,
        limit: 2,
      });
    } finally {
      await store.close();
    }
  });
});
