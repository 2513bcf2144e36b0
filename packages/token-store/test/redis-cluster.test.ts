// The Redis backend on a real Redis Cluster (3 primaries, 3 replicas; scripts/services.sh
// starts it on 127.0.0.1:7101-7106, X_OAUTH_TEST_REDIS_CLUSTER) through ioredis' `Cluster`:
// the conformance suite, rotation across every primary, and WAIT for a replica after writes.
// The multi-process refresh race on the cluster runs in refresh-race.test.ts.
import { randomUUID } from 'node:crypto';
import { TokenSet } from '@x-oauth/pkce';
import { afterAll, describe, expect, it } from 'vitest';
import { escapeGlob } from '../src/backends/redis/keys.js';
import { createKeyring, createTokenStore, TokenStoreErrorCode } from '../src/index.js';
import { createRedisBackend } from '../src/redis.js';
import { describeBackendConformance } from './conformance.js';
import { redisClusterClient } from './workers/fixtures.js';

const RUN = `x-oauth-test:${process.pid}-${randomUUID().slice(0, 8)}:`;
let prefixes = 0;
const freshPrefix = () => `${RUN}${prefixes++}:`;
const admin = redisClusterClient();

afterAll(async () => {
  await deletePrefix(RUN);
  admin.disconnect();
});

async function keysUnder(prefix: string): Promise<{ key: string; port: number }[]> {
  const found: { key: string; port: number }[] = [];
  for (const node of admin.nodes('master')) {
    let cursor = '0';
    do {
      const [next, keys] = await node.scan(cursor, 'MATCH', `${escapeGlob(prefix)}*`, 'COUNT', 500);
      cursor = next;
      for (const key of keys) found.push({ key, port: node.options.port ?? 0 });
    } while (cursor !== '0');
  }
  return found;
}

async function deletePrefix(prefix: string): Promise<void> {
  for (const { key } of await keysUnder(prefix)) await admin.del(key);
}

async function dumpPrefix(prefix: string): Promise<string> {
  const lines: string[] = [];
  for (const { key } of await keysUnder(prefix)) {
    const type = await admin.type(key);
    const value =
      type === 'hash' ? await admin.hgetall(key) : type === 'string' ? await admin.get(key) : type;
    lines.push(`${key} ${type} ${JSON.stringify(value)}`);
  }
  return lines.sort().join('\n');
}

describeBackendConformance('redis cluster', async () => {
  const prefix = freshPrefix();
  const client = redisClusterClient();
  const backend = createRedisBackend({ client, prefix });
  return {
    backend,
    async cleanup() {
      await backend.close();
      client.disconnect();
      await deletePrefix(prefix);
    },
    dumpRaw: () => dumpPrefix(prefix),
  };
});

function tokenSet(tag: string): TokenSet {
  return new TokenSet({
    accessToken: `access-${tag}-${randomUUID()}`,
    refreshToken: `refresh-${tag}-${randomUUID()}`,
    expiresAt: Date.now() + 7_200_000,
    scopes: ['tweet.read', 'users.read', 'offline.access'],
    tokenType: 'bearer',
  });
}

describe('redis cluster: scans and replication', () => {
  it('rotates every owner, spread over all three primaries', async () => {
    const prefix = freshPrefix();
    const client = redisClusterClient();
    const k1 = Buffer.alloc(32, 1).toString('base64');
    const k2 = Buffer.alloc(32, 2).toString('base64');
    const before = createTokenStore({
      backend: createRedisBackend({ client, prefix }),
      keyring: createKeyring({ currentKeyId: 'k1', keys: { k1 } }),
    });
    const owners = 50;
    for (let user = 0; user < owners; user++) {
      await before.writer.putOAuth2('app', `user-${user}`, tokenSet(String(user)));
    }
    const rows = await keysUnder(`${prefix}row:`);
    expect(rows).toHaveLength(owners);
    // The rows really are spread: every primary holds some.
    expect(new Set(rows.map((row) => row.port)).size).toBe(3);

    const after = createTokenStore({
      backend: createRedisBackend({ client, prefix }),
      keyring: createKeyring({ currentKeyId: 'k2', keys: { k1, k2 } }),
    });
    const result = await after.rotate({ pageSize: 7 });
    expect(result.rotated).toBe(owners);
    const onlyNew = createTokenStore({
      backend: createRedisBackend({ client, prefix }),
      keyring: createKeyring({ currentKeyId: 'k2', keys: { k2 } }),
    });
    for (let user = 0; user < owners; user++) {
      expect((await onlyNew.reader.get('app', `user-${user}`))?.kind).toBe('oauth2');
    }
    expect((await after.rotate()).rotated).toBe(0);
    await Promise.all([before.close(), after.close(), onlyNew.close()]);
    client.disconnect();
  }, 60_000);

  it('waits for a replica after each write (WAIT on the key primary), configurable', async () => {
    const prefix = freshPrefix();
    const client = redisClusterClient();
    const monitor = async (run: () => Promise<void>) => {
      // Count WAIT calls the cluster's primaries served (INFO commandstats).
      const waits = async () => {
        let total = 0;
        for (const node of admin.nodes('master')) {
          const stats = await node.info('commandstats');
          total += Number(/cmdstat_wait:calls=(\d+)/.exec(stats)?.[1] ?? 0);
        }
        return total;
      };
      const start = await waits();
      await run();
      return (await waits()) - start;
    };
    const store = createTokenStore({
      backend: createRedisBackend({ client, prefix }),
      keyring: createKeyring({
        currentKeyId: 'k1',
        keys: { k1: Buffer.alloc(32, 3).toString('base64') },
      }),
    });
    const withWait = await monitor(async () => {
      for (let user = 0; user < 5; user++)
        await store.writer.putOAuth2('app', `w-${user}`, tokenSet('w'));
    });
    expect(withWait).toBeGreaterThanOrEqual(5);
    const noWait = createTokenStore({
      backend: createRedisBackend({ client, prefix, replicaAck: false }),
      keyring: createKeyring({
        currentKeyId: 'k1',
        keys: { k1: Buffer.alloc(32, 3).toString('base64') },
      }),
    });
    const without = await monitor(async () => {
      for (let user = 0; user < 5; user++)
        await noWait.writer.putOAuth2('app', `n-${user}`, tokenSet('n'));
    });
    expect(without).toBeLessThan(withWait);
    expect(() =>
      createRedisBackend({ client, prefix, replicaAck: { replicas: 0, timeoutMs: 10 } }),
    ).toThrowError(expect.objectContaining({ code: TokenStoreErrorCode.InvalidConfig }));
    await Promise.all([store.close(), noWait.close()]);
    client.disconnect();
  }, 30_000);
});
