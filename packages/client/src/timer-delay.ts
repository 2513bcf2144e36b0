// setTimeout (and AbortSignal.timeout, which uses it) fires after 1 ms, with a warning, for
// delays above this.
const MAX_TIMER_MS = 2_147_483_647;

/** `ms` as a timer can hold it: a longer timeout waits as long as a timer can, not 1 ms. */
export function timerDelay(ms: number): number {
  return Math.min(ms, MAX_TIMER_MS);
}
