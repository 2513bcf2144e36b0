// Taking one request from a pool before it is sent, so that concurrent senders (callers of one
// client, or processes sharing a store) never send more than the pool has left. A window that
// is unknown or has reset is learned by one request (the probe) while the others wait for its
// answer: until then nobody knows the new window's limit or reset. Pure; the stores apply it
// (the Redis store as a Lua script that mirrors it).
import type { RateLimitPool } from './store.js';

/**
 * What {@link RateLimitStore.take} answers.
 *
 * @see https://docs.x.com/x-api/fundamentals/rate-limits
 */
export type RateLimitTake =
  /** One request was taken from the pool's open window: send it. */
  | { readonly kind: 'taken' }
  /**
   * The window is unknown or has reset: send this request to learn it, then end the lease
   * `until` (`endProbe`); others wait for it meanwhile.
   */
  | { readonly kind: 'probe'; readonly until: number }
  /** The pool is known to be empty until `pool.resetAt`. */
  | { readonly kind: 'empty'; readonly pool: RateLimitPool }
  /** Another request is learning the window: ask again soon, at the latest at `until` (ms). */
  | { readonly kind: 'probing'; readonly until: number }
  /** The pool is not known and no probe was asked for: send, nothing was taken. */
  | { readonly kind: 'unknown' };

/** A pool's state in a store that takes: the last known window and the probe's lease. */
export interface TakeState {
  readonly pool: RateLimitPool | undefined;
  /** Until when (ms) a request sent to learn the window holds the lease; 0 when none does. */
  readonly probeUntil: number;
}

/**
 * Takes one request from `state` at `now`. `probeLeaseMs` > 0 asks for a probe when the window
 * is unknown or has reset (the lease must outlast the probe's attempt); 0 answers `unknown`.
 * Returns the answer and the state to store.
 */
export function takeFromPool(
  state: TakeState,
  now: number,
  probeLeaseMs: number,
): { readonly answer: RateLimitTake; readonly state: TakeState } {
  const { pool, probeUntil } = state;
  if (pool !== undefined && pool.resetAt > now) {
    if (pool.remaining <= 0) return { answer: { kind: 'empty', pool }, state };
    return {
      answer: { kind: 'taken' },
      state: { pool: { ...pool, remaining: pool.remaining - 1 }, probeUntil },
    };
  }
  if (probeLeaseMs <= 0) return { answer: { kind: 'unknown' }, state };
  if (probeUntil > now) return { answer: { kind: 'probing', until: probeUntil }, state };
  const until = now + probeLeaseMs;
  return { answer: { kind: 'probe', until }, state: { pool, probeUntil: until } };
}
