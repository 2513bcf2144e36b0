// One place that reads "when may I send again" (ky's retry-timing, made X-specific):
// `Retry-After` (RFC 9110 §10.2.3) as delay-seconds or an HTTP-date, then X's
// `x-rate-limit-reset` in epoch seconds. Every caller gets the same answer: a `Date`.
import { parseHttpDate } from './http-date.js';

// Ten digits at most keeps the number exact (epoch seconds stay ten digits until 2286).
const DIGITS = /^\d{1,10}$/;

/** Anything with a `get(name)` like `Headers`. */
export interface HeaderSource {
  get(name: string): string | null;
}

/**
 * When a `Retry-After` value asks to send again: `now` plus delay-seconds, or the HTTP-date
 * itself. `now` (epoch milliseconds) should be the server's clock (the answer's `Date` header)
 * when there is one, so that a skewed local clock does not change the wait; a date is then
 * shifted by the same skew. `undefined` when absent or malformed.
 *
 * @example parseRetryAfter('120', 0) // new Date(120_000)
 * @see https://www.rfc-editor.org/rfc/rfc9110#section-10.2.3
 */
export function parseRetryAfter(value: string | null | undefined, now: number): Date | undefined {
  if (typeof value !== 'string' || !Number.isFinite(now)) return undefined;
  const trimmed = value.trim();
  if (DIGITS.test(trimmed)) return new Date(now + Number(trimmed) * 1000);
  const date = parseHttpDate(trimmed);
  return date === undefined ? undefined : new Date(Math.max(date, now));
}

/**
 * An `x-rate-limit-reset` (or `x-*-limit-24hour-reset`) value, epoch seconds, as a `Date`;
 * `undefined` when absent or not a non-negative integer.
 *
 * @example parseRateLimitReset('1700000000') // new Date(1_700_000_000_000)
 * @see https://docs.x.com/x-api/fundamentals/rate-limits
 */
export function parseRateLimitReset(value: string | null | undefined): Date | undefined {
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return DIGITS.test(trimmed) ? new Date(Number(trimmed) * 1000) : undefined;
}

/**
 * When an answer says to send again: `Retry-After` first (it is about this very request),
 * else `x-rate-limit-reset`. `now` is as in {@link parseRetryAfter}.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9110#section-10.2.3
 * @see https://docs.x.com/x-api/fundamentals/rate-limits
 */
export function readRetryAt(headers: HeaderSource, now: number): Date | undefined {
  return (
    parseRetryAfter(headers.get('retry-after'), now) ??
    parseRateLimitReset(headers.get('x-rate-limit-reset'))
  );
}
