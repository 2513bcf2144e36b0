// Keeps the client's view of X's rate-limit pools: records every response's headers into the
// store, and before sending (with `holdWhenEmpty`) takes the request from its pools or finds
// a pool known to be empty.
import type { AuthStrategy } from '../auth/strategy.js';
import type { RateLimitHeaders } from './headers.js';
import { poolKey } from './pool-key.js';
import type { RateLimitPool, RateLimitStore } from './store.js';
import type { RateLimitTake } from './take.js';

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

/** What {@link takeRequest} decided for one attempt. */
export type RequestTake =
  /** Send; when `probeUntil` is set, the request learns its window and ends that lease after. */
  | { readonly kind: 'send'; readonly probeUntil: number | undefined }
  /** A pool of the request is known to be empty. */
  | { readonly kind: 'empty'; readonly pool: RateLimitPool }
  /** Another request is learning the window: ask again soon, at the latest at `until`. */
  | { readonly kind: 'probing'; readonly until: number };

/** A store that can take requests from its pools. */
export type TakingStore = RateLimitStore & Required<Pick<RateLimitStore, 'take' | 'endProbe'>>;

/** Whether `store` can take requests from its pools (see `RateLimitStore.take`). */
export function canTake(store: RateLimitStore): store is TakingStore {
  return typeof store.take === 'function' && typeof store.endProbe === 'function';
}

/**
 * Takes one request from the pools of a request at X's time `now`: its window first (every
 * endpoint of X has one, so an unknown or reset window is learned by a probe), then its daily
 * caps where they are known. A daily cap found empty gives the window's probe lease back.
 */
export async function takeRequest(
  store: TakingStore,
  pools: RequestPools,
  now: number,
  probeLeaseMs: number,
): Promise<RequestTake> {
  const window = await store.take(pools.window, now, probeLeaseMs);
  if (window.kind === 'empty' || window.kind === 'probing') return window;
  const probeUntil = window.kind === 'probe' ? window.until : undefined;
  // Daily caps exist on few endpoints: never probed, taken from only when known.
  const daily: Promise<RateLimitTake>[] = [];
  if (pools.userDaily !== undefined) daily.push(store.take(pools.userDaily, now, 0));
  daily.push(store.take(pools.appDaily, now, 0));
  let latest: RateLimitPool | undefined;
  for (const answer of await Promise.all(daily)) {
    if (answer.kind === 'empty' && (latest === undefined || answer.pool.resetAt > latest.resetAt))
      latest = answer.pool;
  }
  if (latest === undefined) return { kind: 'send', probeUntil };
  if (probeUntil !== undefined) await store.endProbe(pools.window, probeUntil);
  return { kind: 'empty', pool: latest };
}
