import { XOAuthError, type XOAuthErrorDetails } from '@x-oauth/internal';

/**
 * Stable codes of {@link BearerError}. Switch on these, never on messages.
 *
 * @see https://docs.x.com/resources/fundamentals/authentication/oauth-2-0/application-only
 */
export const BearerErrorCode = {
  /** An argument is missing or malformed (keys, token, base URL, options). Nothing was sent. */
  InvalidArgument: 'BEARER_INVALID_ARGUMENT',
  /** The endpoint is plain `http:` on a host that is not loopback. Nothing was sent. */
  InsecureEndpoint: 'BEARER_INSECURE_ENDPOINT',
  /** X: the request is missing a required parameter (403, error 170: `grant_type`, `access_token`). */
  InvalidRequest: 'BEARER_INVALID_REQUEST',
  /**
   * X could not verify the credentials (403, error 99; or 401 on a signed invalidation): wrong,
   * regenerated or revoked API Key and Secret, or the owner's access token is not accepted.
   */
  InvalidClientCredentials: 'BEARER_INVALID_CLIENT_CREDENTIALS',
  /**
   * Too many token requests: X answered 429, or a provider whose keys worked before got error
   * 99, which X also sends to token requests made "too frequently in a short period of time".
   */
  TooManyRequests: 'BEARER_TOO_MANY_REQUESTS',
  /** X refused to invalidate the token (403, error 348): not a live token of this app. */
  InvalidationRefused: 'BEARER_INVALIDATION_REFUSED',
  /** The bearer token is invalid, expired or revoked (401, error 89). */
  InvalidToken: 'BEARER_INVALID_TOKEN',
  /** The endpoint needs a user context; app-only auth cannot call it (403 "Unsupported Authentication", error 220). */
  UserContextRequired: 'BEARER_USER_CONTEXT_REQUIRED',
  /** The request never got an answer: DNS, connection, TLS or a dropped connection. Retryable. */
  NetworkError: 'BEARER_NETWORK_ERROR',
  /** X answered success with a body that is not JSON or not the documented shape. */
  InvalidResponse: 'BEARER_INVALID_RESPONSE',
  /** X answered an HTTP status this package does not recognise for the endpoint (5xx, …). */
  UnexpectedStatus: 'BEARER_UNEXPECTED_STATUS',
} as const;

/**
 * One of the values of {@link BearerErrorCode}.
 *
 * @see https://docs.x.com/resources/fundamentals/authentication/oauth-2-0/application-only
 */
export type BearerErrorCode = (typeof BearerErrorCode)[keyof typeof BearerErrorCode];

/**
 * What a {@link BearerError} may carry besides its code and message.
 *
 * @see https://docs.x.com/x-api/fundamentals/response-codes-and-errors
 */
export interface BearerErrorDetails extends XOAuthErrorDetails {
  /** X's numeric error code (`errors[0].code` in v1.1 bodies), when there was one. */
  readonly xCode?: number | undefined;
  /** The `type` URL of a v2 problem body, when there was one. */
  readonly problemType?: string | undefined;
}

// Worth trying again later: X was busy or unreachable. Everything else needs a change first.
const RETRYABLE_CODES: ReadonlySet<BearerErrorCode> = new Set([
  BearerErrorCode.TooManyRequests,
  BearerErrorCode.NetworkError,
]);

/**
 * The one error class of this package, with a stable {@link BearerErrorCode}, the HTTP
 * `status` when X answered, `retryable`, and `retryAt` (from `Retry-After` or
 * `x-rate-limit-reset`) when X said when to try again. Its message says what went wrong and
 * what to do. It never holds a token, a secret, an `Authorization` header or a response body
 * (a token response body is the token), so it is safe to log. `instanceof` and
 * {@link isBearerError} recognise it across separately bundled copies of this package.
 *
 * @see https://docs.x.com/resources/fundamentals/authentication/oauth-2-0/application-only
 */
export class BearerError extends XOAuthError<BearerErrorCode> {
  static override readonly brand: string = '@x-oauth/bearer/BearerError';

  /** X's numeric error code (89, 99, 170, 220, 348, …), when X sent one. */
  readonly xCode: number | undefined;
  /** The `type` of a v2 problem body, when X sent one. */
  readonly problemType: string | undefined;

  constructor(code: BearerErrorCode, message: string, details: BearerErrorDetails = {}) {
    const status = details.status;
    super(code, message, {
      ...details,
      retryable:
        details.retryable ?? (RETRYABLE_CODES.has(code) || (status !== undefined && status >= 500)),
    });
    this.xCode = details.xCode;
    this.problemType = details.problemType;
  }

  /** A plain copy for structured logs: name, code, message and the numeric details. */
  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), xCode: this.xCode, problemType: this.problemType };
  }
}

/**
 * True when `value` is a {@link BearerError} (from any bundle of this package), optionally
 * with the given code.
 *
 * @example if (isBearerError(error, BearerErrorCode.InvalidToken)) provider.forgetToken(token);
 * @see https://docs.x.com/resources/fundamentals/authentication/oauth-2-0/application-only
 */
export function isBearerError(value: unknown, code?: BearerErrorCode): value is BearerError {
  return value instanceof BearerError && (code === undefined || value.code === code);
}
