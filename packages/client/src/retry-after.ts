// `Retry-After` (RFC 9110 §10.2.3) as the milliseconds the retry loop sleeps: a view of the
// one shared parser, which answers with the `Date` every error carries as `retryAt`.
import { parseRetryAfter as retryAfterDate } from '@x-oauth/internal';

/**
 * The wait a `Retry-After` header asks for, in milliseconds from `now` (0 for a date already
 * past); `undefined` when absent or malformed. `now` should be X's clock (the answer's `Date`).
 *
 * @see https://www.rfc-editor.org/rfc/rfc9110#section-10.2.3
 */
export function parseRetryAfter(value: string | null | undefined, now: number): number | undefined {
  const at = retryAfterDate(value, now);
  return at === undefined ? undefined : at.getTime() - now;
}
