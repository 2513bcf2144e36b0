// Turns an X error answer into an XApiError. X answers in two shapes: v1.1
// `{"errors":[{"code":89,"message":"…"}]}` (also the oauth/* and oauth2/* endpoints) and v2
// problem JSON `{"title","detail","type","status"}` (RFC 9457). Problem types are matched on
// the last path segment of `type`: X serves the same problem under api.twitter.com and
// api.x.com. Only numbers and the type are kept; X's free text is never copied (it can echo
// input). Pure: no network, no clock.
import { readXErrorBody } from '@x-oauth/internal';
import { RateLimitError, XApiError, XApiErrorCode } from './errors.js';
import type { RateLimitHeaders } from './rate-limits/headers.js';

/**
 * What {@link parseXError} needs besides the status and body.
 *
 * @see https://docs.x.com/x-api/fundamentals/response-codes-and-errors
 */
export interface ParseErrorContext {
  /** `METHOD /template`. */
  readonly endpoint?: string | undefined;
  /** The response's rate-limit headers, for a 429's `retryAt`. */
  readonly rateLimit?: RateLimitHeaders | undefined;
  /** The pool key of the request, for a 429. */
  readonly pool?: string | undefined;
  /**
   * When the answer's `Retry-After` asks to send again: the `retryAt` of a 5xx, and of a 429
   * when no rate-limit header gives one.
   */
  readonly retryAfterAt?: Date | undefined;
}

const V1_CODES: Readonly<Record<number, XApiErrorCode>> = {
  32: XApiErrorCode.AuthenticationFailed,
  34: XApiErrorCode.NotFound,
  88: XApiErrorCode.RateLimited,
  89: XApiErrorCode.InvalidToken,
  99: XApiErrorCode.BadCredentials,
  130: XApiErrorCode.ServerError,
  131: XApiErrorCode.ServerError,
  135: XApiErrorCode.TimestampOutOfBounds,
  187: XApiErrorCode.DuplicateContent,
  215: XApiErrorCode.AuthenticationRequired,
  220: XApiErrorCode.UserContextRequired,
  261: XApiErrorCode.InsufficientPermission,
  415: XApiErrorCode.CallbackNotApproved,
};

const PROBLEMS: Readonly<Record<string, XApiErrorCode>> = {
  'unsupported-authentication': XApiErrorCode.UserContextRequired,
  'oauth1-permissions': XApiErrorCode.InsufficientPermission,
  'client-forbidden': XApiErrorCode.Forbidden,
  'not-authorized-for-resource': XApiErrorCode.Forbidden,
  'invalid-request': XApiErrorCode.InvalidRequest,
  'resource-not-found': XApiErrorCode.NotFound,
  'usage-capped': XApiErrorCode.RateLimited,
  'duplicate-rules': XApiErrorCode.DuplicateContent,
};

const ADVICE: Readonly<Partial<Record<XApiErrorCode, string>>> = {
  X_AUTHENTICATION_FAILED:
    'X could not authenticate the request (error 32): check the consumer key and secret and the token secret.',
  X_AUTHENTICATION_REQUIRED:
    'X found no usable credentials in the request (error 215): check the auth strategy.',
  X_INVALID_TOKEN:
    'X reports the token as invalid or expired (error 89): it was revoked, the app permission changed, or it never existed. Authorize the user again (or obtain a new bearer token).',
  X_BAD_CREDENTIALS:
    'X could not verify the app credentials (error 99): the API Key and Secret are wrong, regenerated or revoked.',
  X_TIMESTAMP_OUT_OF_BOUNDS:
    "X refused the OAuth 1.0a timestamp (error 135): this machine's clock is too far from X's. Sync the clock (NTP); the client corrects it from X's Date header and retries once.",
  X_UNAUTHORIZED: 'X did not accept the credentials (401).',
  X_USER_CONTEXT_REQUIRED:
    'This endpoint needs a user context and refuses app-only authentication: call it with OAuth 1.0a or OAuth 2.0 user tokens.',
  X_INSUFFICIENT_PERMISSION:
    "The app's permission does not allow this request (read-only app or token): change the app permission to Read and write, then authorize the user again.",
  X_FORBIDDEN: 'X refused the request (403).',
  X_DUPLICATE_CONTENT: 'X refused the request as a duplicate of earlier content.',
  X_CALLBACK_NOT_APPROVED:
    "The callback URL is not registered for this app (error 415): add it, character for character, in the app's authentication settings.",
  X_INVALID_REQUEST: 'X refused the request as malformed (400): check its parameters.',
  X_NOT_FOUND: 'X has no such resource or endpoint (404).',
  X_SERVER_ERROR: 'X answered with a server error; retry later.',
};

/**
 * The {@link XApiError} (a {@link RateLimitError} for 429) for an X error answer. Pure.
 *
 * @example parseXError(401, { errors: [{ code: 89, message: '…' }] }).code // 'X_INVALID_TOKEN'
 * @see https://docs.x.com/x-api/fundamentals/response-codes-and-errors
 */
export function parseXError(
  status: number,
  body: unknown,
  context: ParseErrorContext = {},
): XApiError {
  const { xCode, problemType, problem } = readXErrorBody(body);
  let code =
    (readOnlyApplication(body) ? XApiErrorCode.InsufficientPermission : undefined) ??
    (xCode === undefined ? undefined : V1_CODES[xCode]) ??
    (problem === undefined ? undefined : PROBLEMS[problem]) ??
    codeForStatus(status);
  if (status === 429) code = XApiErrorCode.RateLimited;
  const where = context.endpoint === undefined ? '' : ` ${context.endpoint}`;
  const what = `${status}${xCode === undefined ? '' : `, error ${xCode}`}${problem === undefined ? '' : `, ${problem}`}`;
  const details = { status, xCode, problemType, endpoint: context.endpoint };
  if (code === XApiErrorCode.RateLimited) {
    const retryAt = rateLimitReset(context.rateLimit) ?? context.retryAfterAt;
    return new RateLimitError(
      `X rate-limited${where} (${what}): the pool is empty${retryAt === undefined ? '' : ` until ${retryAt.toISOString()}`}. Wait for the reset, or spread requests out.`,
      {
        ...details,
        retryAt,
        limit: context.rateLimit?.window?.limit,
        pool: context.pool,
      },
    );
  }
  const advice = ADVICE[code] ?? 'X refused the request.';
  const retryAt = code === XApiErrorCode.ServerError ? context.retryAfterAt : undefined;
  return new XApiError(code, `${advice} (${what}${where})`, { ...details, retryAt });
}

/**
 * When a rate-limited request may be tried again: the latest reset among the pools that are
 * empty (a daily cap can outlast the 15-minute window), else the window's reset.
 *
 * @see https://docs.x.com/x-api/fundamentals/rate-limits
 */
export function rateLimitReset(headers: RateLimitHeaders | undefined): Date | undefined {
  if (headers === undefined) return undefined;
  const windows = [headers.window, headers.appDaily, headers.userDaily].filter(
    (window) => window !== undefined,
  );
  const empty = windows.filter((window) => window.remaining === 0);
  const candidates = empty.length > 0 ? empty : windows.slice(0, 1);
  if (candidates.length === 0) return undefined;
  return new Date(Math.max(...candidates.map((window) => window.resetAt)));
}

// v1.1's older answer to a read-only app or token that writes:
// `{"request":"/1.1/statuses/update.json","error":"Read-only application cannot POST."}`.
// Read for classification only; the text is never copied.
function readOnlyApplication(body: unknown): boolean {
  return (
    typeof body === 'object' &&
    body !== null &&
    'request' in body &&
    'error' in body &&
    typeof body.request === 'string' &&
    typeof body.error === 'string' &&
    /read-only application/i.test(body.error)
  );
}

function codeForStatus(status: number): XApiErrorCode {
  if (status === 400) return XApiErrorCode.InvalidRequest;
  if (status === 401) return XApiErrorCode.Unauthorized;
  if (status === 403) return XApiErrorCode.Forbidden;
  if (status === 404) return XApiErrorCode.NotFound;
  if (status === 429) return XApiErrorCode.RateLimited;
  if (status >= 500) return XApiErrorCode.ServerError;
  return XApiErrorCode.UnexpectedStatus;
}
