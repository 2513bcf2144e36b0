// `Retry-After` (RFC 9110 §10.2.3): how long a server asks the client to wait before sending
// again, on a 503 (overloaded) or a 429. Either a number of seconds or an HTTP-date. Pure.

// The three HTTP-date forms a recipient must accept (RFC 9110 §5.6.7): IMF-fixdate, and the
// obsolete RFC 850 and asctime forms. Anything else is ignored, since Date.parse alone would
// read "2" or "soon 5" as dates.
const IMF_FIXDATE = /^[A-Za-z]{3}, \d{2} [A-Za-z]{3} \d{4} \d{2}:\d{2}:\d{2} GMT$/;
const RFC850_DATE = /^[A-Za-z]{6,9}, \d{2}-[A-Za-z]{3}-\d{2} \d{2}:\d{2}:\d{2} GMT$/;
const ASCTIME_DATE = /^[A-Za-z]{3} [A-Za-z]{3} [ \d]\d \d{2}:\d{2}:\d{2} \d{4}$/;
// Ten digits at most keeps the number exact; the client's maxWaitMs bounds the wait anyway.
const DELAY_SECONDS = /^\d{1,10}$/;

/**
 * The wait a `Retry-After` header asks for, in milliseconds: `delay-seconds` times 1000, or
 * the time from `now` until the HTTP-date (0 for a date already past). `now` should be the
 * server's clock (the answer's `Date` header) when there is one, so that a skewed local clock
 * does not change the wait. `undefined` when the header is absent or malformed.
 *
 * @example parseRetryAfter('120', Date.now()) // 120000
 * @example parseRetryAfter('Wed, 21 Oct 2015 07:28:00 GMT', Date.parse('Wed, 21 Oct 2015 07:27:30 GMT')) // 30000
 * @see https://www.rfc-editor.org/rfc/rfc9110#section-10.2.3
 */
export function parseRetryAfter(value: string | null | undefined, now: number): number | undefined {
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  if (DELAY_SECONDS.test(trimmed)) return Number(trimmed) * 1000;
  let date: number;
  if (IMF_FIXDATE.test(trimmed) || RFC850_DATE.test(trimmed)) date = Date.parse(trimmed);
  else if (ASCTIME_DATE.test(trimmed)) date = Date.parse(`${trimmed} GMT`);
  else return undefined;
  if (!Number.isFinite(date) || !Number.isFinite(now)) return undefined;
  return Math.max(0, date - now);
}
