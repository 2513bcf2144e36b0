import type { PoolKind } from './pool-key.js';
import type { RateLimitTake } from './take.js';

/**
 * The last known state of one rate-limit pool.
 *
 * @see https://docs.x.com/x-api/fundamentals/rate-limits
 */
export interface RateLimitPool {
  /** `identity METHOD /template` (plus `|app-24h` / `|user-24h`); see `poolKey`. */
  readonly key: string;
  readonly kind: PoolKind;
  readonly limit: number;
  readonly remaining: number;
  /** When the pool refills, in milliseconds since the epoch (X's clock). */
  readonly resetAt: number;
}

/**
 * Where pool states live: in this process (`createMemoryRateLimitStore`) or shared by many
 * (`createRedisRateLimitStore` from `@x-oauth/client/redis`). Implement it to use another
 * store. `put` must keep the lower `remaining` when both states have the same `resetAt`:
 * answers of concurrent requests arrive out of order, and the lowest count is the newest.
 *
 * @see https://docs.x.com/x-api/fundamentals/rate-limits
 */
export interface RateLimitStore {
  get(key: string): Promise<RateLimitPool | undefined>;
  put(pool: RateLimitPool): Promise<void>;
  /** Every pool whose window has not reset before `now` (ms). */
  list(now: number): Promise<RateLimitPool[]>;
  /**
   * Optional, used with `holdWhenEmpty`: takes one request from the pool `key` before it is
   * sent, atomically for everyone sharing the store, so concurrent senders never send more
   * than the pool has left. An open window with requests left gives one (`taken`); an empty
   * one answers `empty`. An unknown or reset window, with `probeLeaseMs` > 0, lets one request
   * learn it (`probe`, holding a lease until `now + probeLeaseMs` or its `endProbe`) and
   * answers the others `probing`; with 0 it answers `unknown`. Without `take` the client only
   * holds requests for pools known to be empty.
   */
  take?(key: string, now: number, probeLeaseMs: number): Promise<RateLimitTake>;
  /**
   * Ends the probe lease `until` of `key` (the probe's answer is recorded, or it got none),
   * unless another lease has replaced it.
   */
  endProbe?(key: string, until: number): Promise<void>;
}

/**
 * Merges a new observation into a known one: the same window keeps the lower `remaining`;
 * a later window replaces an earlier one. Pure.
 */
export function mergePool(known: RateLimitPool | undefined, seen: RateLimitPool): RateLimitPool {
  if (known === undefined || seen.resetAt > known.resetAt) return seen;
  if (seen.resetAt < known.resetAt) return known;
  return seen.remaining <= known.remaining ? seen : known;
}
