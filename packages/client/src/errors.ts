import { XOAuthError, type XOAuthErrorDetails } from '@x-oauth/internal';

/**
 * Stable codes of {@link XApiError}. Switch on these, never on messages.
 *
 * @see https://docs.x.com/x-api/fundamentals/response-codes-and-errors
 */
export const XApiErrorCode = {
  /** A missing or malformed argument or option. Nothing was sent. */
  InvalidArgument: 'X_INVALID_ARGUMENT',
  /** `http:` to a host that is not loopback. Nothing was sent. */
  InsecureEndpoint: 'X_INSECURE_ENDPOINT',
  /** `NODE_TLS_REJECT_UNAUTHORIZED=0` switched certificate checks off process-wide. Nothing was sent. */
  InsecureTls: 'X_INSECURE_TLS',
  /** X error 32 "Could not authenticate you": a bad OAuth 1.0a signature or consumer key. */
  AuthenticationFailed: 'X_AUTHENTICATION_FAILED',
  /** X error 215 "Bad Authentication data": the request carried no usable credentials. */
  AuthenticationRequired: 'X_AUTHENTICATION_REQUIRED',
  /** X error 89 "Invalid or expired token": the token was revoked, expired or never existed. */
  InvalidToken: 'X_INVALID_TOKEN',
  /** X error 99 "Unable to verify your credentials": wrong or regenerated app keys. */
  BadCredentials: 'X_BAD_CREDENTIALS',
  /** X error 135 "Timestamp out of bounds": this machine's clock differs from X's. */
  TimestampOutOfBounds: 'X_TIMESTAMP_OUT_OF_BOUNDS',
  /** Any other 401: the credentials were not accepted. */
  Unauthorized: 'X_UNAUTHORIZED',
  /** The endpoint needs a user context (OAuth 1.0a or OAuth 2.0 user tokens), not app-only. */
  UserContextRequired: 'X_USER_CONTEXT_REQUIRED',
  /** The OAuth 2.0 token lacks a scope the endpoint needs (checked before sending when known). */
  InsufficientScope: 'X_INSUFFICIENT_SCOPE',
  /** The app's OAuth 1.0a permission (read-only) does not allow this request. */
  InsufficientPermission: 'X_INSUFFICIENT_PERMISSION',
  /** Any other 403. */
  Forbidden: 'X_FORBIDDEN',
  /** X error 187 or a v2 duplicate: the same content was posted before. */
  DuplicateContent: 'X_DUPLICATE_CONTENT',
  /** X error 415: the callback URL is not registered for the app. */
  CallbackNotApproved: 'X_CALLBACK_NOT_APPROVED',
  /** `oauth/access_token` refused the verifier or PIN. */
  InvalidVerifier: 'X_INVALID_VERIFIER',
  /** 400: the request is malformed (a missing or invalid parameter). */
  InvalidRequest: 'X_INVALID_REQUEST',
  /** 404. */
  NotFound: 'X_NOT_FOUND',
  /** 429, or X error 88: the rate-limit pool is empty until `retryAt`. A {@link RateLimitError}. */
  RateLimited: 'X_RATE_LIMITED',
  /** 5xx. */
  ServerError: 'X_SERVER_ERROR',
  /** No answer: DNS, refused or dropped connection, TLS. */
  NetworkError: 'X_NETWORK_ERROR',
  /** No answer within `timeoutMs`. */
  Timeout: 'X_TIMEOUT',
  /** A success whose body is not what the endpoint documents (truncated or not JSON). */
  InvalidResponse: 'X_INVALID_RESPONSE',
  /** Refreshing the OAuth 2.0 token set failed; `deadGrant` tells whether to authorize again. */
  RefreshFailed: 'X_REFRESH_FAILED',
  /** Obtaining the app-only bearer token failed. */
  AppTokenFailed: 'X_APP_TOKEN_FAILED',
  /** A sealed value (request-token cookie) is altered, from another key, or too old. */
  SealedValueInvalid: 'X_SEALED_VALUE_INVALID',
  /** The OAuth 1.0a callback says the user cancelled (`denied=`). */
  AccessDenied: 'X_ACCESS_DENIED',
  /** The OAuth 1.0a callback does not belong to the request token it is checked against. */
  CallbackMismatch: 'X_CALLBACK_MISMATCH',
  /** Any other HTTP status. */
  UnexpectedStatus: 'X_UNEXPECTED_STATUS',
} as const;

/**
 * One of the values of {@link XApiErrorCode}.
 *
 * @see https://docs.x.com/x-api/fundamentals/response-codes-and-errors
 */
export type XApiErrorCode = (typeof XApiErrorCode)[keyof typeof XApiErrorCode];

/**
 * What an {@link XApiError} may carry besides its code and message (`status`, `retryable`,
 * `retryAt` and `cause` come from the shared base).
 *
 * @see https://docs.x.com/x-api/fundamentals/response-codes-and-errors
 */
export interface XApiErrorDetails extends XOAuthErrorDetails {
  /** X's numeric error code (`errors[].code` of a v1.1 body). */
  readonly xCode?: number | undefined;
  /** The `type` of a v2 problem body. */
  readonly problemType?: string | undefined;
  /** `METHOD /template` of the request (never its query or body). */
  readonly endpoint?: string | undefined;
  /** For `X_REFRESH_FAILED`: the refresh token is dead; authorize the user again. */
  readonly deadGrant?: boolean | undefined;
  /** The code of the layer error this one wraps (`PKCE_*`, `BEARER_*`, `TOKEN_STORE_*`). */
  readonly causeCode?: string | undefined;
}

const RETRYABLE_CODES: ReadonlySet<string> = new Set([
  XApiErrorCode.RateLimited,
  XApiErrorCode.ServerError,
  XApiErrorCode.NetworkError,
  XApiErrorCode.Timeout,
]);

/**
 * The one error hierarchy of `@x-oauth/client`, with a stable {@link XApiErrorCode}, the HTTP
 * `status` where X answered, `retryable`, and `retryAt` (a `Date`) whenever X said when to try
 * again (`Retry-After`, the rate-limit reset). Messages say what went wrong and what to do;
 * they never hold a secret, a token, a code, a verifier, a query string, a body or X's free
 * text, so errors are safe to log and to `JSON.stringify`. `instanceof` and
 * {@link isXApiError} recognise errors from any bundle of this package (ESM and CJS, the main
 * and `./redis` entries).
 *
 * @see https://docs.x.com/x-api/fundamentals/response-codes-and-errors
 */
export class XApiError extends XOAuthError<XApiErrorCode> {
  static override readonly brand: string = '@x-oauth/client/XApiError';

  readonly xCode: number | undefined;
  readonly problemType: string | undefined;
  readonly endpoint: string | undefined;
  readonly deadGrant: boolean;
  readonly causeCode: string | undefined;

  constructor(code: XApiErrorCode, message: string, details: XApiErrorDetails = {}) {
    super(code, message, {
      ...details,
      retryable: details.retryable ?? RETRYABLE_CODES.has(code),
    });
    this.xCode = details.xCode;
    this.problemType = details.problemType;
    this.endpoint = details.endpoint;
    this.deadGrant = details.deadGrant ?? false;
    this.causeCode = details.causeCode;
  }

  /** A plain copy for structured logs: the code, the message and the numeric details. */
  override toJSON(): Record<string, unknown> {
    return {
      ...super.toJSON(),
      xCode: this.xCode,
      problemType: this.problemType,
      endpoint: this.endpoint,
      deadGrant: this.deadGrant,
      causeCode: this.causeCode,
    };
  }
}

/**
 * What a {@link RateLimitError} carries.
 *
 * @see https://docs.x.com/x-api/fundamentals/rate-limits
 */
export interface RateLimitErrorDetails extends XApiErrorDetails {
  /** The pool's size, when X said. */
  readonly limit?: number | undefined;
  /** The pool's key (`identity METHOD /template`), as `client.rateLimits()` lists it. */
  readonly pool?: string | undefined;
}

/**
 * `X_RATE_LIMITED`: X answered 429 (or the client held the request because the pool is known
 * to be empty). `retryAt` says when the pool refills (X's `x-rate-limit-reset`, the 24-hour
 * reset when that is the empty one, or `Retry-After`); `undefined` when X said nothing.
 *
 * @see https://docs.x.com/x-api/fundamentals/rate-limits
 */
export class RateLimitError extends XApiError {
  static override readonly brand: string = '@x-oauth/client/RateLimitError';

  readonly limit: number | undefined;
  readonly pool: string | undefined;

  constructor(message: string, details: RateLimitErrorDetails = {}) {
    super(XApiErrorCode.RateLimited, message, { ...details, retryable: true });
    this.limit = details.limit;
    this.pool = details.pool;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), limit: this.limit, pool: this.pool };
  }
}

/**
 * True when `value` is an {@link XApiError} (from any bundle of this package), optionally with
 * the given code.
 *
 * @example if (isXApiError(error, XApiErrorCode.RateLimited)) await wait(error.retryAt);
 * @see https://docs.x.com/x-api/fundamentals/response-codes-and-errors
 */
export function isXApiError(value: unknown, code?: XApiErrorCode): value is XApiError {
  return value instanceof XApiError && (code === undefined || value.code === code);
}
