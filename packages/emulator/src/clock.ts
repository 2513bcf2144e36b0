// The emulator's clock: the caller's time source plus an offset that tests move forward.

/** A clock whose reading can be moved by tests without touching the real time. */
export interface EmulatorClock {
  /** Current emulator time in ms since the epoch. */
  now(): number;
  /** Moves the clock by `ms` (negative moves it back); returns the new time. */
  advance(ms: number): number;
}

/** Makes an {@link EmulatorClock} over `source` (default `Date.now`). */
export function createClock(source: () => number = Date.now): EmulatorClock {
  let offset = 0;
  return {
    now: () => source() + offset,
    advance(ms) {
      if (!Number.isFinite(ms)) throw new TypeError('advanceClock needs a finite number of ms.');
      offset += ms;
      return source() + offset;
    },
  };
}
