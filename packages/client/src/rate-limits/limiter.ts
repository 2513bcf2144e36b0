// Keeps the client's view of X's rate-limit pools: records every response's headers into the
// store, and before sending (with `holdWhenEmpty`) finds a pool known to be empty.
import type { AuthStrategy } from '../auth/strategy.js';
import type { RateLimitHeaders } from './headers.js';
import { poolKey } from './pool-key.js';
import type { RateLimitPool, RateLimitStore } from './store.js';

/**
 * The keys of the pools one request spends: its window, the user's daily cap and the app's
 * daily cap (which every user of the app shares).
 */
export interface RequestPools {
  readonly window: string;
  readonly userDaily: string | undefined;
  readonly appDaily: string;
}

/** The pools of a request by `auth` to `method path`. Pure. */
export function requestPools(auth: AuthStrategy, method: string, path: string): RequestPools {
  return {
    window: poolKey(auth.identity, method, path),
    userDaily:
      auth.kind === 'app-only' ? undefined : poolKey(auth.identity, method, path, 'user-24h'),
    appDaily: poolKey(`app:${auth.appKey}`, method, path, 'app-24h'),
  };
}

/** Writes what one response reported into the store. */
export async function recordRateLimits(
  store: RateLimitStore,
  pools: RequestPools,
  headers: RateLimitHeaders,
): Promise<void> {
  // The usual answer has one window: write it without an array and Promise.all.
  if (headers.appDaily === undefined && headers.userDaily === undefined) {
    const window = headers.window;
    if (window !== undefined) {
      await store.put({
        key: pools.window,
        kind: 'window',
        limit: window.limit,
        remaining: window.remaining,
        resetAt: window.resetAt,
      });
    }
    return;
  }
  const writes: Promise<void>[] = [];
  if (headers.window !== undefined) {
    writes.push(store.put({ key: pools.window, kind: 'window', ...headers.window }));
  }
  if (headers.userDaily !== undefined && pools.userDaily !== undefined) {
    writes.push(store.put({ key: pools.userDaily, kind: 'user-24h', ...headers.userDaily }));
  }
  if (headers.appDaily !== undefined) {
    writes.push(store.put({ key: pools.appDaily, kind: 'app-24h', ...headers.appDaily }));
  }
  if (writes.length > 0) await Promise.all(writes);
}

/**
 * The empty pool that resets last among a request's pools, at X's time `now`; `undefined`
 * when none is known to be empty.
 */
export async function emptyPool(
  store: RateLimitStore,
  pools: RequestPools,
  now: number,
): Promise<RateLimitPool | undefined> {
  const keys = [pools.window, pools.userDaily, pools.appDaily].filter((key) => key !== undefined);
  const known = await Promise.all(keys.map((key) => store.get(key)));
  let latest: RateLimitPool | undefined;
  for (const pool of known) {
    if (pool !== undefined && pool.remaining === 0 && pool.resetAt > now) {
      if (latest === undefined || pool.resetAt > latest.resetAt) latest = pool;
    }
  }
  return latest;
}
