import { mergePool, type RateLimitPool, type RateLimitStore } from './store.js';
import { takeFromPool } from './take.js';

/**
 * Options of {@link createMemoryRateLimitStore}.
 *
 * @see https://docs.x.com/x-api/fundamentals/rate-limits
 */
export interface MemoryRateLimitStoreOptions {
  /** Forget pools this long after their reset, to bound memory. Default one minute. */
  readonly retainAfterResetMs?: number | undefined;
}

/**
 * A {@link RateLimitStore} in this process's memory: the default. Pools are dropped once they
 * reset (they refill then), so memory stays proportional to the pools in use.
 *
 * @see https://docs.x.com/x-api/fundamentals/rate-limits
 */
export function createMemoryRateLimitStore(
  options: MemoryRateLimitStoreOptions = {},
): RateLimitStore {
  const pools = new Map<string, RateLimitPool>();
  // Probe leases by pool key (see `take`): until when one request is learning the window.
  const probes = new Map<string, number>();
  const retain = options.retainAfterResetMs ?? 60_000;
  let puts = 0;
  return {
    async get(key) {
      return pools.get(key);
    },
    async put(pool) {
      pools.set(pool.key, mergePool(pools.get(pool.key), pool));
      puts += 1;
      // Sweep now and then rather than on every call: cheap on the hot path.
      if (puts % 1024 === 0) {
        const cutoff = Date.now() - retain;
        for (const [key, known] of pools) if (known.resetAt < cutoff) pools.delete(key);
        for (const [key, until] of probes) if (until < cutoff) probes.delete(key);
      }
    },
    async list(now) {
      return [...pools.values()].filter((pool) => pool.resetAt >= now);
    },
    async take(key, now, probeLeaseMs) {
      const { answer, state } = takeFromPool(
        { pool: pools.get(key), probeUntil: probes.get(key) ?? 0 },
        now,
        probeLeaseMs,
      );
      if (state.pool !== undefined) pools.set(key, state.pool);
      if (state.probeUntil > 0) probes.set(key, state.probeUntil);
      return answer;
    },
    async endProbe(key, until) {
      if (probes.get(key) === until) probes.delete(key);
    },
  };
}
