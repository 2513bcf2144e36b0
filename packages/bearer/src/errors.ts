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
  /** The request never got an answer: DNS, connection, TLS or a dropped connection. */
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
export interface BearerErrorDetails {
  /** HTTP status of X's answer, when there was one. */
  readonly status?: number | undefined;
  /** X's numeric error code (`errors[0].code` in v1.1 bodies), when there was one. */
  readonly xCode?: number | undefined;
  /** The `type` URL of a v2 problem body, when there was one. */
  readonly problemType?: string | undefined;
  /** `x-rate-limit-reset` of a 429: epoch seconds when the rate-limit window resets. */
  readonly rateLimitReset?: number | undefined;
}

/**
 * The one error class of this package, with a stable {@link BearerErrorCode}. Its message
 * says what went wrong and what to do. It never holds a token, a secret, an `Authorization`
 * header or a response body (a token response body is the token), so it is safe to log.
 *
 * @see https://docs.x.com/resources/fundamentals/authentication/oauth-2-0/application-only
 */
export class BearerError extends Error {
  /** Stable, machine-readable reason; see {@link BearerErrorCode}. */
  readonly code: BearerErrorCode;
  /** HTTP status of X's answer, when there was one. */
  readonly status: number | undefined;
  /** X's numeric error code (89, 99, 170, 220, 348, …), when X sent one. */
  readonly xCode: number | undefined;
  /** The `type` of a v2 problem body, when X sent one. */
  readonly problemType: string | undefined;
  /** Epoch seconds when X's rate-limit window resets, from `x-rate-limit-reset` on a 429. */
  readonly rateLimitReset: number | undefined;

  constructor(code: BearerErrorCode, message: string, details: BearerErrorDetails = {}) {
    super(message);
    this.name = 'BearerError';
    this.code = code;
    this.status = details.status;
    this.xCode = details.xCode;
    this.problemType = details.problemType;
    this.rateLimitReset = details.rateLimitReset;
  }

  /** A plain copy for structured logs: name, code, message and the numeric details. */
  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      code: this.code,
      message: this.message,
      status: this.status,
      xCode: this.xCode,
      problemType: this.problemType,
      rateLimitReset: this.rateLimitReset,
    };
  }
}

/**
 * True when `value` is a {@link BearerError}, optionally with the given code.
 *
 * @example if (isBearerError(error, BearerErrorCode.InvalidToken)) provider.forgetToken(token);
 * @see https://docs.x.com/resources/fundamentals/authentication/oauth-2-0/application-only
 */
export function isBearerError(value: unknown, code?: BearerErrorCode): value is BearerError {
  return value instanceof BearerError && (code === undefined || value.code === code);
}
