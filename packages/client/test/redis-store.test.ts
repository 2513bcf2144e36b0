import { randomBytes } from 'node:crypto';
import { type Emulator, startEmulator } from '@x-oauth/emulator';
import { Cluster, Redis } from 'ioredis';
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

  it('takes atomically: concurrent takers from several connections get exactly what is left', async () => {
    // Four connections stand for four processes.
    const stores = Array.from({ length: 4 }, () =>
      createRedisRateLimitStore({ url: REDIS_URL, prefix: `${prefix}take:` }),
    );
    try {
      const now = Date.now();
      const takeAll = (at: number) =>
        Promise.all(
          Array.from({ length: 20 }, (_, index) => stores[index % 4]?.take('w', at, 5_000)),
        );
      // An unknown window: one probe, the others wait for it.
      const first = await takeAll(now);
      expect(first.filter((answer) => answer?.kind === 'probe')).toHaveLength(1);
      expect(first.filter((answer) => answer?.kind === 'probing')).toHaveLength(19);
      const probe = first.find((answer) => answer?.kind === 'probe');
      await stores[0]?.put({
        key: 'w',
        kind: 'window',
        limit: 6,
        remaining: 5,
        resetAt: now + 60_000,
      });
      // Ending another lease leaves this one; its own lease ends it.
      await stores[1]?.endProbe('w', probe?.kind === 'probe' ? probe.until - 1 : 0);
      expect(await redis.hget(`${prefix}take:w`, 'probeUntil')).not.toBeNull();
      await stores[1]?.endProbe('w', probe?.kind === 'probe' ? probe.until : 0);
      expect(await redis.hget(`${prefix}take:w`, 'probeUntil')).toBeNull();
      // Five left: five of twenty concurrent takers get one.
      const second = await takeAll(now + 1);
      expect(second.filter((answer) => answer?.kind === 'taken')).toHaveLength(5);
      expect(second.filter((answer) => answer?.kind === 'empty')).toHaveLength(15);
      expect(second.find((answer) => answer?.kind === 'empty')).toMatchObject({
        pool: { key: 'w', kind: 'window', limit: 6, remaining: 0, resetAt: now + 60_000 },
      });
      // A later answer of the same window with more left does not give anything back.
      await stores[2]?.put({
        key: 'w',
        kind: 'window',
        limit: 6,
        remaining: 3,
        resetAt: now + 60_000,
      });
      expect((await stores[3]?.get('w'))?.remaining).toBe(0);
      // Without a probe lease asked for, an unknown pool takes nothing.
      expect(await stores[0]?.take('daily', now, 0)).toEqual({ kind: 'unknown' });
      expect(await redis.exists(`${prefix}take:daily`)).toBe(0);
    } finally {
      await Promise.all(stores.map((store) => store.close()));
    }
  });

  it('works on a Redis Cluster: pools spread over every primary are all listed', async () => {
    // scripts/services.sh starts a 3-primary, 3-replica cluster (X_OAUTH_TEST_REDIS_CLUSTER).
    const nodes = (
      process.env.X_OAUTH_TEST_REDIS_CLUSTER ?? '127.0.0.1:7101,127.0.0.1:7102,127.0.0.1:7103'
    )
      .split(',')
      .map((node) => {
        const [host = '', port = ''] = node.split(':');
        return { host, port: Number(port) };
      });
    const cluster = new Cluster(nodes, { redisOptions: { enableReadyCheck: false } });
    cluster.on('error', () => undefined);
    const clusterPrefix = `${prefix}cluster:`;
    const store = createRedisRateLimitStore({ client: cluster, prefix: clusterPrefix });
    try {
      const resetAt = Date.now() + 60_000;
      const keys = Array.from({ length: 30 }, (_, index) => `app:${index} GET /2/users/me`);
      for (const [index, key] of keys.entries()) {
        await store.put({ key, kind: 'window', limit: 75, remaining: index, resetAt });
      }
      // The pools really sit on different primaries.
      const holders = new Set<number>();
      for (const node of cluster.nodes('master')) {
        const [, found] = await node.scan('0', 'MATCH', `${clusterPrefix}*`, 'COUNT', 1000);
        if (found.length > 0) holders.add(node.options.port ?? 0);
      }
      expect(holders.size).toBe(3);
      const listed = await store.list(Date.now());
      expect(listed.map((pool) => pool.key).sort()).toEqual([...keys].sort());
      expect(await store.get(keys[7] ?? '')).toMatchObject({ remaining: 7, limit: 75 });
      await store.put({ key: keys[7] ?? '', kind: 'window', limit: 75, remaining: 3, resetAt });
      expect(await store.get(keys[7] ?? '')).toMatchObject({ remaining: 3 });
    } finally {
      await store.close();
      for (const node of cluster.nodes('master')) {
        const [, found] = await node.scan('0', 'MATCH', `${clusterPrefix}*`, 'COUNT', 1000);
        for (const key of found) await node.del(key);
      }
      cluster.disconnect();
    }
  });
});
