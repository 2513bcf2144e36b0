// OAuth 1.0a timestamps must be within a few minutes of X's clock, or X answers error 135
// "Timestamp out of bounds". X's answer carries its own time in the `Date` header
// (RFC 9110 §6.6.1), so the client learns the offset from it and retries once.
import { parseHttpDate } from '@x-oauth/internal';

/**
 * A clock that can be corrected towards X's: `now()` is the local time plus the offset
 * learned from the last `Date` header that was used.
 */
export class CorrectedClock {
  readonly #local: () => number;
  #offsetMs = 0;

  constructor(local: () => number = Date.now) {
    this.#local = local;
  }

  /** Milliseconds since the epoch, corrected towards X's clock. */
  now(): number {
    return this.#local() + this.#offsetMs;
  }

  /** The correction in ms (X's clock minus the local one); 0 until one was learned. */
  get offsetMs(): number {
    return this.#offsetMs;
  }

  /**
   * Learns the offset from a `Date` header (second precision). Returns false when the header
   * is missing or not a date, and the offset is unchanged.
   */
  learn(dateHeader: string | null | undefined): boolean {
    const serverMs = parseHttpDate(dateHeader);
    if (serverMs === undefined) return false;
    this.#offsetMs = serverMs - this.#local();
    return true;
  }
}

export { parseHttpDate };
