// Rate-limit pools in Redis, so every process of an app sees the same pools: one hash per
// pool, expiring a minute after its reset. The merge (same window keeps the lower `remaining`) runs as one
// Lua script, so concurrent writers cannot undo each other's newer count.
import { type Cluster, Redis } from 'ioredis';
import type { RateLimitPool, RateLimitStore } from './store.js';
import type { RateLimitTake } from './take.js';

/**
 * Options of {@link createRedisRateLimitStore}: a connection URL, or an `ioredis` client you
 * own (it is not closed by `close()`).
 *
 * @see https://docs.x.com/x-api/fundamentals/rate-limits
 */
export type RedisRateLimitStoreOptions = (
  | { readonly url: string; readonly client?: undefined }
  /**
   * A client you own (left open by `close`). An ioredis `Cluster` works too: each pool is one
   * key (its script stays within one hash slot), and `list` scans every primary.
   */
  | { readonly client: Redis | Cluster; readonly url?: undefined }
) & {
  /** Prefix of every key. Default `x-oauth:rate-limit:`. */
  readonly prefix?: string | undefined;
};

/**
 * A {@link RateLimitStore} in Redis, with `close()`.
 *
 * @see https://docs.x.com/x-api/fundamentals/rate-limits
 */
export interface RedisRateLimitStore extends RateLimitStore {
  /** {@link RateLimitStore.take}, as one Lua script: atomic for every process. */
  take(key: string, now: number, probeLeaseMs: number): Promise<RateLimitTake>;
  /** {@link RateLimitStore.endProbe}, as one Lua script. */
  endProbe(key: string, until: number): Promise<void>;
  /** Closes the connection when the store opened it from `url`. */
  close(): Promise<void>;
}

// KEYS[1] pool key; ARGV: kind, limit, remaining, resetAt (ms).
const PUT_SCRIPT = `
local known = redis.call('HMGET', KEYS[1], 'resetAt', 'remaining')
local resetAt = tonumber(ARGV[4])
local remaining = tonumber(ARGV[3])
if known[1] then
  local knownReset = tonumber(known[1])
  if knownReset > resetAt then return 0 end
  if knownReset == resetAt and tonumber(known[2]) <= remaining then return 0 end
end
redis.call('HSET', KEYS[1], 'kind', ARGV[1], 'limit', ARGV[2], 'remaining', ARGV[3], 'resetAt', ARGV[4])
redis.call('PEXPIREAT', KEYS[1], resetAt + 60000)
return 1
`;

// KEYS[1] pool key; ARGV: now (ms), probe lease (ms, 0 for none), now + lease. The same steps
// as takeFromPool (take.ts), atomically: one request from an open window, or the probe lease
// of an unknown or reset one.
const TAKE_SCRIPT = `
local state = redis.call('HMGET', KEYS[1], 'resetAt', 'remaining', 'probeUntil', 'limit', 'kind')
local now = tonumber(ARGV[1])
local lease = tonumber(ARGV[2])
local resetAt = tonumber(state[1])
if resetAt and resetAt > now then
  if tonumber(state[2]) > 0 then
    redis.call('HINCRBY', KEYS[1], 'remaining', -1)
    return {'taken'}
  end
  return {'empty', state[4], state[5], state[1]}
end
if lease <= 0 then return {'unknown'} end
local probeUntil = tonumber(state[3])
if probeUntil and probeUntil > now then return {'probing', state[3]} end
redis.call('HSET', KEYS[1], 'probeUntil', ARGV[3])
redis.call('PEXPIRE', KEYS[1], lease + 60000)
return {'probe', ARGV[3]}
`;

// KEYS[1] pool key; ARGV: the lease's end. Ends the lease only if it is still the one taken.
const END_PROBE_SCRIPT = `
if redis.call('HGET', KEYS[1], 'probeUntil') == ARGV[1] then redis.call('HDEL', KEYS[1], 'probeUntil') end
return 0
`;

function toPool(key: string, fields: Record<string, string>): RateLimitPool | undefined {
  const limit = Number(fields.limit);
  const remaining = Number(fields.remaining);
  const resetAt = Number(fields.resetAt);
  const kind = fields.kind;
  if (!Number.isFinite(limit) || !Number.isFinite(remaining) || !Number.isFinite(resetAt))
    return undefined;
  if (kind !== 'window' && kind !== 'app-24h' && kind !== 'user-24h') return undefined;
  return { key, kind, limit, remaining, resetAt };
}

/**
 * Rate-limit pools shared through Redis by every process of an app. Import it from
 * `@x-oauth/client/redis` (the core entry never loads `ioredis`).
 *
 * @example
 * const store = createRedisRateLimitStore({ url: 'redis://127.0.0.1:6379' });
 * const client = new XClient({ auth, rateLimit: { store, holdWhenEmpty: true } });
 * @see https://docs.x.com/x-api/fundamentals/rate-limits
 */
export function createRedisRateLimitStore(
  options: RedisRateLimitStoreOptions,
): RedisRateLimitStore {
  const owned = options.client === undefined;
  const redis =
    options.client ??
    new Redis(options.url as string, { lazyConnect: false, maxRetriesPerRequest: 2 });
  const prefix = options.prefix ?? 'x-oauth:rate-limit:';
  return {
    async get(key) {
      const fields = await redis.hgetall(prefix + key);
      return Object.keys(fields).length === 0 ? undefined : toPool(key, fields);
    },
    async put(pool) {
      await redis.eval(
        PUT_SCRIPT,
        1,
        prefix + pool.key,
        pool.kind,
        String(pool.limit),
        String(pool.remaining),
        String(pool.resetAt),
      );
    },
    async list(now) {
      const pools: RateLimitPool[] = [];
      // A Cluster spreads the pools over its primaries; SCAN sees only the node it is sent to.
      const nodes = isCluster(redis) ? redis.nodes('master') : [redis];
      for (const node of nodes) pools.push(...(await listNode(node, prefix, now)));
      return pools;
    },
    async take(key, now, probeLeaseMs) {
      const lease = Math.max(0, Math.ceil(probeLeaseMs));
      const reply = (await redis.eval(
        TAKE_SCRIPT,
        1,
        prefix + key,
        String(Math.floor(now)),
        String(lease),
        String(Math.floor(now) + lease),
      )) as string[];
      return toTake(key, reply);
    },
    async endProbe(key, until) {
      await redis.eval(END_PROBE_SCRIPT, 1, prefix + key, String(until));
    },
    async close() {
      if (owned) await redis.quit();
    },
  };
}

function toTake(key: string, reply: readonly string[]): RateLimitTake {
  const [kind, ...fields] = reply;
  if (kind === 'taken' || kind === 'unknown') return { kind };
  if (kind === 'probe' || kind === 'probing') return { kind, until: Number(fields[0]) };
  const [limit = '', poolKind = '', resetAt = ''] = fields;
  const pool = toPool(key, { limit, kind: poolKind, remaining: '0', resetAt });
  // A hash that is not a pool (written by something else under the prefix) holds nothing back.
  return pool === undefined ? { kind: 'unknown' } : { kind: 'empty', pool };
}

function isCluster(client: Redis | Cluster): client is Cluster {
  return 'isCluster' in client && client.isCluster === true;
}

async function listNode(node: Redis, prefix: string, now: number): Promise<RateLimitPool[]> {
  const pools: RateLimitPool[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await node.scan(cursor, 'MATCH', `${escapeGlob(prefix)}*`, 'COUNT', 200);
    cursor = next;
    for (const fullKey of keys) {
      const key = fullKey.slice(prefix.length);
      const pool = toPool(key, await node.hgetall(fullKey));
      if (pool !== undefined && pool.resetAt >= now) pools.push(pool);
    }
  } while (cursor !== '0');
  return pools;
}

function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, (character) => `\\${character}`);
}
