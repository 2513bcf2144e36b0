// X's rate-limit headers: `x-rate-limit-{limit,remaining,reset}` for the 15-minute (or other)
// window of an endpoint, and `x-app-limit-24hour-*` / `x-user-limit-24hour-*` for the daily
// caps some endpoints (POST /2/tweets) have. Resets are epoch seconds. Pure.

/**
 * One rate-limit window as X reported it.
 *
 * @see https://docs.x.com/x-api/fundamentals/rate-limits
 */
export interface RateLimitWindow {
  /** Requests allowed in the window. */
  readonly limit: number;
  /** Requests left in the window. */
  readonly remaining: number;
  /** When the window resets, in milliseconds since the epoch (X's clock). */
  readonly resetAt: number;
}

/**
 * Every window one response reported; absent ones are `undefined`.
 *
 * @see https://docs.x.com/x-api/fundamentals/rate-limits
 */
export interface RateLimitHeaders {
  /** `x-rate-limit-*`: the endpoint's window for this identity (user or app). */
  readonly window: RateLimitWindow | undefined;
  /** `x-app-limit-24hour-*`: the app's daily cap on this endpoint, all users together. */
  readonly appDaily: RateLimitWindow | undefined;
  /** `x-user-limit-24hour-*`: this user's daily cap on this endpoint. */
  readonly userDaily: RateLimitWindow | undefined;
}

/** Anything with a `get(name)` like `Headers`. */
export interface HeaderSource {
  get(name: string): string | null;
}

function nonNegativeInteger(value: string | null): number | undefined {
  if (value === null) return undefined;
  const trimmed = value.trim();
  // 1 to 16 ASCII digits, checked without a regular expression: three per answer.
  if (trimmed.length === 0 || trimmed.length > 16) return undefined;
  for (let index = 0; index < trimmed.length; index += 1) {
    const code = trimmed.charCodeAt(index);
    if (code < 48 || code > 57) return undefined;
  }
  return Number(trimmed);
}

function readWindow(
  headers: HeaderSource,
  resetName: string,
  limitName: string,
  remainingName: string,
): RateLimitWindow | undefined {
  // The reset first: most answers carry one family of three, and a header lookup is not free.
  const reset = nonNegativeInteger(headers.get(resetName));
  if (reset === undefined) return undefined;
  const limit = nonNegativeInteger(headers.get(limitName));
  const remaining = nonNegativeInteger(headers.get(remainingName));
  if (limit === undefined || remaining === undefined) return undefined;
  return { limit, remaining, resetAt: reset * 1000 };
}

/**
 * Reads the three families of rate-limit headers. A family is reported only when all three of
 * its headers are present and are non-negative integers.
 *
 * @example parseRateLimitHeaders(response.headers).window?.remaining
 */
export function parseRateLimitHeaders(headers: HeaderSource): RateLimitHeaders {
  return {
    window: readWindow(
      headers,
      'x-rate-limit-reset',
      'x-rate-limit-limit',
      'x-rate-limit-remaining',
    ),
    appDaily: readWindow(
      headers,
      'x-app-limit-24hour-reset',
      'x-app-limit-24hour-limit',
      'x-app-limit-24hour-remaining',
    ),
    userDaily: readWindow(
      headers,
      'x-user-limit-24hour-reset',
      'x-user-limit-24hour-limit',
      'x-user-limit-24hour-remaining',
    ),
  };
}
