// The Redis backend against a real Redis (X_OAUTH_TEST_REDIS, by default the loopback server
// scripts/services.sh starts on port 6390): the conformance suite, once as the default user
// and once as an ACL user limited to the prefix, plus what is specific to Redis (key layout,
// Lua compare-and-swap under contention, the token-checked lock release, SCAN, NOPERM).
import { randomBytes, randomUUID } from 'node:crypto';
import { TokenSet } from '@x-oauth/pkce';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoredRow, TokenBackend } from '../src/backend.js';
import { escapeGlob } from '../src/backends/redis/keys.js';
import { ROW_FIELDS } from '../src/backends/redis/row.js';
import {
  createKeyring,
  createTokenStore,
  TokenStoreError,
  TokenStoreErrorCode,
} from '../src/index.js';
import { createRedisBackend, DEFAULT_REDIS_PREFIX, REDIS_ACL_COMMANDS } from '../src/redis.js';
import { describeBackendConformance } from './conformance.js';

const REDIS_URL = process.env.X_OAUTH_TEST_REDIS ?? 'redis://127.0.0.1:6390';
// One namespace per test file run, so parallel runs and leftovers never meet.
const RUN = `x-oauth-test:${process.pid}-${randomUUID().slice(0, 8)}:`;
let prefixes = 0;
const freshPrefix = () => `${RUN}${prefixes++}:`;

// The admin connection: the default user, to set up ACL users and inspect raw keys. It fails
// (never skips) when Redis is not running.
const admin = new Redis(REDIS_URL, { maxRetriesPerRequest: 1, lazyConnect: true });
const aclUsers: string[] = [];

beforeAll(async () => {
  await admin.connect();
  expect(await admin.ping()).toBe('PONG');
});

afterAll(async () => {
  for (const user of aclUsers) await admin.call('ACL', 'DELUSER', user);
  await deleteKeys(`${RUN}*`);
  admin.disconnect();
});

async function keysMatching(pattern: string): Promise<string[]> {
  const found = new Set<string>();
  let cursor = '0';
  do {
    const [next, keys] = await admin.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
    cursor = next;
    for (const key of keys) found.add(key);
  } while (cursor !== '0');
  return [...found].sort();
}

async function deleteKeys(pattern: string): Promise<void> {
  const keys = await keysMatching(pattern);
  if (keys.length > 0) await admin.del(...keys);
}

/** Every key under `prefix` with its whole value, as text: what an attacker with a dump sees. */
async function dumpPrefix(prefix: string): Promise<string> {
  const lines: string[] = [];
  for (const key of await keysMatching(`${escapeGlob(prefix)}*`)) {
    const type = await admin.type(key);
    const value =
      type === 'hash'
        ? await admin.hgetall(key)
        : type === 'string'
          ? await admin.get(key)
          : `<${type}>`;
    lines.push(`${key} ${type} ${JSON.stringify(value)}`);
  }
  return lines.join('\n');
}

/** Creates an ACL user limited to `prefix` and the backend's commands; returns its URL. */
async function aclUserFor(prefix: string): Promise<{ name: string; url: string }> {
  const name = `x_oauth_test_${randomUUID().replaceAll('-', '')}`;
  const password = randomBytes(24).toString('base64url');
  await admin.call(
    'ACL',
    'SETUSER',
    name,
    'reset',
    'on',
    `>${password}`,
    `~${escapeGlob(prefix)}*`,
    'resetchannels',
    '-@all',
    ...REDIS_ACL_COMMANDS.map((command) => `+${command}`),
  );
  aclUsers.push(name);
  const url = new URL(REDIS_URL);
  url.username = name;
  url.password = password;
  return { name, url: url.toString() };
}

describeBackendConformance('redis', async () => {
  const prefix = freshPrefix();
  const backend = createRedisBackend({ url: REDIS_URL, prefix });
  return {
    backend,
    async cleanup() {
      await backend.close();
      await deleteKeys(`${escapeGlob(prefix)}*`);
    },
    dumpRaw: () => dumpPrefix(prefix),
  };
});

describeBackendConformance('redis as an ACL user limited to its prefix', async () => {
  const prefix = freshPrefix();
  const { url } = await aclUserFor(prefix);
  const backend = createRedisBackend({ url, prefix });
  return {
    backend,
    async cleanup() {
      await backend.close();
      await deleteKeys(`${escapeGlob(prefix)}*`);
    },
    dumpRaw: () => dumpPrefix(prefix),
  };
});

const keyMaterial = {
  k1: randomBytes(32).toString('base64'),
  k2: randomBytes(32).toString('base64'),
};
const keyringWithCurrent = (currentKeyId: 'k1' | 'k2') =>
  createKeyring({ currentKeyId, keys: keyMaterial });
const keyring = keyringWithCurrent('k1');

function tokenSet(counter: number, expiresAt = Date.now() + 3_600_000): TokenSet {
  return new TokenSet({
    accessToken: `access-${counter}-${randomUUID()}`,
    refreshToken: `refresh-${counter}-${randomUUID()}`,
    expiresAt,
    scopes: ['tweet.read', 'users.read', 'offline.access'],
    tokenType: 'bearer',
  });
}

function row(owner: { appId: string; userId: string }, version: number): StoredRow {
  return {
    ...owner,
    kind: 'oauth2',
    version,
    status: 'active',
    keyId: 'k1',
    ciphertext: `xts1.k1.${randomBytes(12).toString('base64url')}.${randomBytes(40).toString('base64url')}`,
    expiresAt: Date.now() + 3_600_000,
    updatedAt: Date.now(),
  };
}

async function withBackend<T>(
  run: (backend: TokenBackend, prefix: string) => Promise<T>,
  prefix = freshPrefix(),
): Promise<T> {
  const backend = createRedisBackend({ url: REDIS_URL, prefix });
  try {
    return await run(backend, prefix);
  } finally {
    await backend.close();
    await deleteKeys(`${escapeGlob(prefix)}*`);
  }
}

describe('redis backend: layout and atomicity', () => {
  it('keeps every key under the prefix, rows as hashes of ciphertext, no token anywhere', async () => {
    await withBackend(async (backend, prefix) => {
      const store = createTokenStore({ backend, keyring, keyUsageBatchSize: 1 });
      const set = tokenSet(1);
      await store.writer.putOAuth2('app:1', 'user:1', set);
      await store.writer.putOAuth1('app:1', 'user:2', {
        token: `oauth1-token-${randomUUID()}`,
        tokenSecret: `oauth1-secret-${randomUUID()}`,
        xUserId: '12345',
        screenName: 'alice',
        accessLevel: 'read-write',
      });
      const lock = await backend.acquireRefreshLock(
        { appId: 'app:1', userId: 'user:1' },
        { ttlMs: 10_000, waitMs: 0 },
      );
      const keys = await keysMatching(`${escapeGlob(prefix)}*`);
      expect(keys).toEqual(
        [
          `${prefix}key-usage`,
          `${prefix}lock:app%3A1:user%3A1`,
          `${prefix}row:app%3A1:user%3A1`,
          `${prefix}row:app%3A1:user%3A2`,
        ].sort(),
      );
      const pttl = await admin.pttl(`${prefix}lock:app%3A1:user%3A1`);
      expect(pttl).toBeGreaterThan(9_000);
      expect(pttl).toBeLessThanOrEqual(10_000);
      await lock.release();
      const hash = await admin.hgetall(`${prefix}row:app%3A1:user%3A1`);
      expect(Object.keys(hash).sort()).toEqual([...ROW_FIELDS].sort());
      expect(hash.ciphertext).toMatch(/^xts1\.k1\./);
      const dump = await dumpPrefix(prefix);
      expect(dump).not.toContain(set.accessToken);
      expect(dump).not.toContain(set.refreshToken);
      expect(dump).not.toContain('oauth1-token-');
      expect(dump).not.toContain('oauth1-secret-');
      expect(Number(await admin.hget(`${prefix}key-usage`, 'k1'))).toBeGreaterThanOrEqual(2);
      await store.close();
    });
  });

  it('uses x-oauth:tokens: as the default prefix', async () => {
    expect(DEFAULT_REDIS_PREFIX).toBe('x-oauth:tokens:');
  });

  it('lets exactly one of many concurrent compare-and-swaps win, from many connections', async () => {
    await withBackend(async (first, prefix) => {
      const others = Array.from({ length: 4 }, () =>
        createRedisBackend({ url: REDIS_URL, prefix }),
      );
      try {
        const owner = { appId: 'app', userId: 'contended' };
        expect(await first.compareAndSwap(row(owner, 1), 0)).toBe(true);
        const backends = [first, ...others];
        for (let version = 1; version <= 20; version++) {
          const attempts = Array.from({ length: 25 }, (_, index) =>
            (backends[index % backends.length] ?? first).compareAndSwap(
              row(owner, version + 1),
              version,
            ),
          );
          const results = await Promise.all(attempts);
          expect(results.filter(Boolean)).toHaveLength(1);
        }
        expect((await first.read(owner))?.version).toBe(21);
        // An insert over an existing row, and a stale version, write nothing.
        const before = await admin.hgetall(`${prefix}row:app:contended`);
        expect(await first.compareAndSwap(row(owner, 1), 0)).toBe(false);
        expect(await first.compareAndSwap(row(owner, 21), 20)).toBe(false);
        expect(await admin.hgetall(`${prefix}row:app:contended`)).toEqual(before);
      } finally {
        await Promise.all(others.map((backend) => backend.close()));
      }
    });
  });

  it('reloads its scripts after SCRIPT FLUSH (EVALSHA falls back to EVAL on NOSCRIPT)', async () => {
    await withBackend(async (backend) => {
      const owner = { appId: 'app', userId: 'flushed' };
      expect(await backend.compareAndSwap(row(owner, 1), 0)).toBe(true);
      await admin.script('FLUSH');
      expect(await backend.compareAndSwap(row(owner, 2), 1)).toBe(true);
      await admin.script('FLUSH');
      expect(await backend.delete(owner, 2)).toBe(true);
      await admin.script('FLUSH');
      const lock = await backend.acquireRefreshLock(owner, { ttlMs: 5_000, waitMs: 0 });
      await admin.script('FLUSH');
      await lock.release();
      const again = await backend.acquireRefreshLock(owner, { ttlMs: 5_000, waitMs: 0 });
      await again.release();
    });
  });

  it('releases only its own lock: an expired holder cannot free the next holder', async () => {
    await withBackend(async (backend, prefix) => {
      const owner = { appId: 'app', userId: 'lock' };
      const first = await backend.acquireRefreshLock(owner, { ttlMs: 50, waitMs: 0 });
      const second = await backend.acquireRefreshLock(owner, { ttlMs: 10_000, waitMs: 2_000 });
      await first.release();
      expect(await admin.exists(`${prefix}lock:app:lock`)).toBe(1);
      await expect(
        backend.acquireRefreshLock(owner, { ttlMs: 10_000, waitMs: 30 }),
      ).rejects.toMatchObject({ code: TokenStoreErrorCode.LockTimeout, retryable: true });
      await second.release();
      await second.release();
      expect(await admin.exists(`${prefix}lock:app:lock`)).toBe(0);
    });
  });

  it('wakes a waiter soon after the holder releases (polling, not sleeping through)', async () => {
    await withBackend(async (backend) => {
      const owner = { appId: 'app', userId: 'wait' };
      const held = await backend.acquireRefreshLock(owner, { ttlMs: 10_000, waitMs: 0 });
      const started = performance.now();
      const waiting = backend.acquireRefreshLock(owner, { ttlMs: 10_000, waitMs: 5_000 });
      setTimeout(() => void held.release(), 200);
      const next = await waiting;
      const waited = performance.now() - started;
      expect(waited).toBeGreaterThanOrEqual(190);
      expect(waited).toBeLessThan(1_000);
      await next.release();
    });
  });

  it('scans every row exactly once in small pages, and nothing outside its prefix', async () => {
    const neighbour = freshPrefix();
    await withBackend(async (backend, prefix) => {
      const other = createRedisBackend({ url: REDIS_URL, prefix: neighbour });
      try {
        const owners = Array.from({ length: 230 }, (_, index) => ({
          appId: index % 2 === 0 ? 'app:even' : 'app*odd',
          userId: `user ${index}`,
        }));
        await Promise.all(owners.map((owner) => backend.compareAndSwap(row(owner, 1), 0)));
        await other.compareAndSwap(row({ appId: 'other', userId: 'x' }, 1), 0);
        // Keys under the prefix that this backend never writes are not rows.
        await admin.set(`${prefix}row:not-a-row`, 'x');
        await admin.hset(`${prefix}row:a%3a:b`, 'version', '1');
        const seen: string[] = [];
        for await (const scanned of backend.scanRows({ pageSize: 7 })) {
          seen.push(`${scanned.appId}\u0000${scanned.userId}`);
        }
        expect(seen.sort()).toEqual(
          owners.map((owner) => `${owner.appId}\u0000${owner.userId}`).sort(),
        );
      } finally {
        await other.close();
        await deleteKeys(`${escapeGlob(neighbour)}*`);
      }
    });
  });

  it('reads a malformed hash as TOKEN_STORE_CORRUPT_ROW', async () => {
    await withBackend(async (backend, prefix) => {
      const owner = { appId: 'app', userId: 'corrupt' };
      await backend.compareAndSwap(row(owner, 1), 0);
      await admin.hset(`${prefix}row:app:corrupt`, 'version', 'two');
      await expect(backend.read(owner)).rejects.toMatchObject({
        code: TokenStoreErrorCode.CorruptRow,
      });
    });
  });

  it('refuses a row hash copied under another owner (the key names the owner, the AAD checks it)', async () => {
    await withBackend(async (backend, prefix) => {
      const store = createTokenStore({ backend, keyring });
      await store.writer.putOAuth2('app', 'victim', tokenSet(1));
      await store.writer.putOAuth2('app', 'attacker', tokenSet(2));
      await admin.copy(`${prefix}row:app:victim`, `${prefix}row:app:attacker`, 'REPLACE');
      await expect(store.reader.get('app', 'attacker')).rejects.toMatchObject({
        code: TokenStoreErrorCode.DecryptionFailed,
      });
      await store.close();
    });
  });

  it('refuses malformed configuration with TOKEN_STORE_INVALID_CONFIG', async () => {
    const client = new Redis(REDIS_URL, { lazyConnect: true });
    const cases: unknown[] = [
      {},
      { url: REDIS_URL, client },
      { url: 'http://127.0.0.1:6390' },
      { url: 'not a url' },
      { url: REDIS_URL, prefix: '' },
      { url: REDIS_URL, prefix: 'has space:' },
      { url: REDIS_URL, lockPolling: { minDelayMs: 0 } },
      { url: REDIS_URL, lockPolling: { minDelayMs: 100, maxDelayMs: 10 } },
      null,
    ];
    for (const options of cases) {
      expect(() => createRedisBackend(options as never)).toThrow(
        expect.objectContaining({ code: TokenStoreErrorCode.InvalidConfig }),
      );
    }
    client.disconnect();
  });

  it('refuses malformed arguments with TOKEN_STORE_INVALID_ARGUMENT', async () => {
    await withBackend(async (backend) => {
      const owner = { appId: 'app', userId: 'args' };
      await expect(backend.compareAndSwap(row(owner, 3), 1)).rejects.toMatchObject({
        code: TokenStoreErrorCode.InvalidArgument,
      });
      await expect(backend.compareAndSwap(row(owner, 1), -1)).rejects.toMatchObject({
        code: TokenStoreErrorCode.InvalidArgument,
      });
      await expect(
        backend.acquireRefreshLock(owner, { ttlMs: 0, waitMs: 0 }),
      ).rejects.toMatchObject({ code: TokenStoreErrorCode.InvalidArgument });
      await expect(backend.addKeyUsage('k1', -1)).rejects.toMatchObject({
        code: TokenStoreErrorCode.InvalidArgument,
      });
      expect(await backend.delete(owner, 0)).toBe(false);
    });
  });

  it('leaves a client it was given open, and closes the one it made', async () => {
    const prefix = freshPrefix();
    const client = new Redis(REDIS_URL);
    const given = createRedisBackend({ client, prefix });
    await given.addKeyUsage('k1', 1);
    await given.close();
    expect(await client.ping()).toBe('PONG');
    await expect(given.read({ appId: 'a', userId: 'b' })).rejects.toMatchObject({
      code: TokenStoreErrorCode.BackendError,
    });
    client.disconnect();
    const owned = createRedisBackend({ url: REDIS_URL, prefix });
    expect(await owned.addKeyUsage('k1', 2)).toBe(3);
    await owned.close();
    await owned.close();
    await deleteKeys(`${escapeGlob(prefix)}*`);
  });

  it('turns an unreachable server into a retryable TOKEN_STORE_BACKEND_ERROR', async () => {
    const client = new Redis('redis://127.0.0.1:1', {
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
      enableOfflineQueue: false,
    });
    client.on('error', () => {});
    const backend = createRedisBackend({ client, prefix: freshPrefix() });
    const failure = await backend.read({ appId: 'a', userId: 'b' }).catch((error) => error);
    expect(failure).toBeInstanceOf(TokenStoreError);
    expect(failure).toMatchObject({ code: TokenStoreErrorCode.BackendError, retryable: true });
    client.disconnect();
  });
});

describe('redis ACL user limited to the prefix', () => {
  it('runs a store round trip, a refresh and a rotation, and gets NOPERM outside its prefix', async () => {
    const prefix = freshPrefix();
    const { url } = await aclUserFor(prefix);
    const backend = createRedisBackend({ url, prefix });
    const store = createTokenStore({ backend, keyring, keyUsageBatchSize: 1 });
    const expired = tokenSet(1, Date.now() - 1_000);
    await store.writer.putOAuth2('app', 'user', expired);
    const refreshed = tokenSet(2);
    let calls = 0;
    const fresh = await Promise.all(
      Array.from({ length: 10 }, () =>
        store.writer.getFreshTokenSet('app', 'user', async () => {
          calls++;
          return refreshed;
        }),
      ),
    );
    expect(calls).toBe(1);
    expect(new Set(fresh.map((set) => set.accessToken))).toEqual(new Set([refreshed.accessToken]));
    // Rotation under the other key, through the same ACL user (scanRows needs SCAN).
    const rotating = createTokenStore({ backend, keyring: keyringWithCurrent('k2') });
    expect(await rotating.rotate()).toMatchObject({ rotated: 1, failed: 0 });
    const rotated = await store.reader.get('app', 'user');
    expect(rotated?.version).toBe(3);
    expect(await admin.hget(`${prefix}row:app:user`, 'key_id')).toBe('k2');
    await store.writer.delete('app', 'user');
    expect(await rotating.keyUsage()).toMatchObject({ k1: 2, k2: 1 });

    // Outside the prefix: refused by the server, whatever the command.
    const raw = new Redis(url, { enableReadyCheck: false, maxRetriesPerRequest: 1 });
    const outside = `${RUN}outside`;
    for (const attempt of [
      () => raw.get(outside),
      () => raw.set(outside, 'x'),
      () => raw.hgetall(outside),
      () => raw.del(outside),
      () => raw.eval("return redis.call('GET', KEYS[1])", 1, outside),
      () => raw.flushall(),
      () => raw.keys('*'),
      () => raw.call('CONFIG', 'GET', 'requirepass'),
    ]) {
      await expect(attempt()).rejects.toThrow(/^NOPERM/);
    }
    // A backend pointed at another prefix with this user fails with a typed, explained error.
    const elsewhere = createRedisBackend({ url, prefix: `${RUN}elsewhere:` });
    await expect(elsewhere.read({ appId: 'a', userId: 'b' })).rejects.toMatchObject({
      code: TokenStoreErrorCode.BackendError,
      causeCode: 'NOPERM',
      retryable: false,
      message: expect.stringContaining('REDIS_ACL_COMMANDS'),
    });
    await elsewhere.close();
    raw.disconnect();
    await store.close();
    await deleteKeys(`${escapeGlob(prefix)}*`);
  });
});

describe('redis backend through the built package (dist), as users import it', () => {
  // tsup bundles each entry on its own, so `@x-oauth/token-store/redis` must still throw the
  // TokenStoreError that `@x-oauth/token-store` exports and checks: otherwise the store wraps
  // a lock timeout as a backend error, and `isTokenStoreError` rejects the backend's errors.
  it('reports a lock timeout as TOKEN_STORE_LOCK_TIMEOUT, with errors the main entry recognizes', async () => {
    const dist = (entry: string) => new URL(`../dist/${entry}`, import.meta.url).href;
    const core: typeof import('../src/index.js') = await import(dist('index.js'));
    const redis: typeof import('../src/redis.js') = await import(dist('redis.js'));
    const configError = (() => {
      try {
        redis.createRedisBackend({});
      } catch (error) {
        return error;
      }
    })();
    expect(core.isTokenStoreError(configError, core.TokenStoreErrorCode.InvalidConfig)).toBe(true);

    const prefix = freshPrefix();
    const backend = redis.createRedisBackend({ url: REDIS_URL, prefix });
    const store = core.createTokenStore({
      backend,
      keyring: core.createKeyring({ currentKeyId: 'k1', keys: keyMaterial }),
      tokenRequestTimeoutMs: 100,
      writeTimeoutMs: 100,
      lockTtlMs: 5_000,
      lockWaitMs: 50,
    });
    try {
      await store.writer.putOAuth2('app', 'user', tokenSet(1, Date.now() - 1_000));
      const held = await backend.acquireRefreshLock(
        { appId: 'app', userId: 'user' },
        { ttlMs: 5_000, waitMs: 0 },
      );
      const failure = await store.writer
        .getFreshTokenSet('app', 'user', async () => tokenSet(2))
        .catch((error: unknown) => error);
      await held.release();
      expect(failure).toMatchObject({
        code: core.TokenStoreErrorCode.LockTimeout,
        retryable: true,
      });
    } finally {
      await store.close();
      await deleteKeys(`${escapeGlob(prefix)}*`);
    }
  });
});
