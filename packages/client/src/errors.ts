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
  /** 429, or X error 88: the rate-limit pool is empty until `resetAt`. A {@link RateLimitError}. */
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
 * What an {@link XApiError} may carry besides its code and message.
 *
 * @see https://docs.x.com/x-api/fundamentals/response-codes-and-errors
 */
export interface XApiErrorDetails {
  /** HTTP status of X's answer, when there was one. */
  readonly status?: number | undefined;
  /** X's numeric error code (`errors[].code` of a v1.1 body). */
  readonly xCode?: number | undefined;
  /** The `type` of a v2 problem body. */
  readonly problemType?: string | undefined;
  /** `METHOD /template` of the request (never its query or body). */
  readonly endpoint?: string | undefined;
  /** Whether the same request may succeed later (network, 5xx, 429, timeout). */
  readonly retryable?: boolean | undefined;
  /** For `X_REFRESH_FAILED`: the refresh token is dead; authorize the user again. */
  readonly deadGrant?: boolean | undefined;
  /** The code of the layer error this one wraps (`PKCE_*`, `BEARER_*`, `TOKEN_STORE_*`). */
  readonly causeCode?: string | undefined;
  /** The error this one wraps; its message holds no secret either. */
  readonly cause?: unknown;
}

const RETRYABLE_CODES: ReadonlySet<string> = new Set([
  XApiErrorCode.RateLimited,
  XApiErrorCode.ServerError,
  XApiErrorCode.NetworkError,
  XApiErrorCode.Timeout,
]);

/**
 * The one error hierarchy of `@x-oauth/client`, with a stable {@link XApiErrorCode}. Messages
 * say what went wrong and what to do; they never hold a secret, a token, a code, a verifier, a
 * query string, a body or X's free text, so errors are safe to log and to `JSON.stringify`.
 *
 * @see https://docs.x.com/x-api/fundamentals/response-codes-and-errors
 */
export class XApiError extends Error {
  /** Stable, machine-readable reason; see {@link XApiErrorCode}. */
  readonly code: XApiErrorCode;
  readonly status: number | undefined;
  readonly xCode: number | undefined;
  readonly problemType: string | undefined;
  readonly endpoint: string | undefined;
  readonly retryable: boolean;
  readonly deadGrant: boolean;
  readonly causeCode: string | undefined;

  constructor(code: XApiErrorCode, message: string, details: XApiErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'XApiError';
    this.code = code;
    this.status = details.status;
    this.xCode = details.xCode;
    this.problemType = details.problemType;
    this.endpoint = details.endpoint;
    this.retryable = details.retryable ?? RETRYABLE_CODES.has(code);
    this.deadGrant = details.deadGrant ?? false;
    this.causeCode = details.causeCode;
  }

  /** A plain copy for structured logs: the code, the message and the numeric details. */
  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      code: this.code,
      message: this.message,
      status: this.status,
      xCode: this.xCode,
      problemType: this.problemType,
      endpoint: this.endpoint,
      retryable: this.retryable,
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
  /** When the pool refills (X's `x-rate-limit-reset`, or the 24-hour reset when that is empty). */
  readonly resetAt?: Date | undefined;
  /** The pool's size, when X said. */
  readonly limit?: number | undefined;
  /** The pool's key (`identity METHOD /template`), as `client.rateLimits()` lists it. */
  readonly pool?: string | undefined;
}

/**
 * `X_RATE_LIMITED`: X answered 429 (or the client held the request because the pool is known
 * to be empty). `resetAt` says when to try again.
 *
 * @see https://docs.x.com/x-api/fundamentals/rate-limits
 */
export class RateLimitError extends XApiError {
  /** When the pool refills; `undefined` when X sent no reset header. */
  readonly resetAt: Date | undefined;
  readonly limit: number | undefined;
  readonly pool: string | undefined;

  constructor(message: string, details: RateLimitErrorDetails = {}) {
    super(XApiErrorCode.RateLimited, message, { ...details, retryable: true });
    this.name = 'RateLimitError';
    this.resetAt = details.resetAt;
    this.limit = details.limit;
    this.pool = details.pool;
  }

  override toJSON(): Record<string, unknown> {
    return {
      ...super.toJSON(),
      resetAt: this.resetAt?.toISOString(),
      limit: this.limit,
      pool: this.pool,
    };
  }
}

/**
 * True when `value` is an {@link XApiError}, optionally with the given code.
 *
 * @example if (isXApiError(error, XApiErrorCode.RateLimited)) await wait(error.resetAt);
 * @see https://docs.x.com/x-api/fundamentals/response-codes-and-errors
 */
export function isXApiError(value: unknown, code?: XApiErrorCode): value is XApiError {
  return value instanceof XApiError && (code === undefined || value.code === code);
}
