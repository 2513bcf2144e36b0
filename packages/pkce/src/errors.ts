import { XOAuthError, type XOAuthErrorDetails } from '@x-oauth/internal';

/**
 * Stable codes of {@link PkceError}. Switch on these, never on messages.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.2
 */
export const PkceErrorCode = {
  /** An option is missing or malformed (empty client id, bad redirect URI, bad state...). */
  InvalidArgument: 'PKCE_INVALID_ARGUMENT',
  /** An endpoint is not `https:` (plain `http:` is allowed to loopback hosts only). */
  InsecureEndpoint: 'PKCE_INSECURE_ENDPOINT',
  /** A scope is not one of X's OAuth 2.0 scopes, or no scope was asked for. */
  InvalidScope: 'PKCE_INVALID_SCOPE',
  /** The callback's `state` is missing or differs from the transaction's (possible CSRF). */
  StateMismatch: 'PKCE_STATE_MISMATCH',
  /** The transaction was already used by `handleCallback`: a state is good for one callback. */
  TransactionConsumed: 'PKCE_TRANSACTION_CONSUMED',
  /** The user pressed "Cancel" on the consent page (`error=access_denied`). */
  AccessDenied: 'PKCE_ACCESS_DENIED',
  /** The authorization server sent the user back with another `error=` value. */
  AuthorizationError: 'PKCE_AUTHORIZATION_ERROR',
  /** The callback URL carries no `code`, or repeats a parameter. */
  InvalidCallback: 'PKCE_INVALID_CALLBACK',
  /** The token endpoint answered `invalid_request` (a malformed request, not a dead grant). */
  InvalidRequest: 'PKCE_INVALID_REQUEST',
  /** The authorization code is invalid, expired or already used, or the verifier does not match. */
  InvalidGrant: 'PKCE_INVALID_GRANT',
  /** The refresh token is dead (used, revoked or expired): the user must authorize again. */
  RefreshTokenDead: 'PKCE_REFRESH_TOKEN_DEAD',
  /** The client id, secret or the way they were sent was refused (`invalid_client`, 401). */
  InvalidClient: 'PKCE_INVALID_CLIENT',
  /** Another OAuth error from the token or revocation endpoint (`error` holds it). */
  OAuthError: 'PKCE_OAUTH_ERROR',
  /** A refresh was asked for, but the set has no refresh token (`offline.access` not granted). */
  MissingOfflineAccess: 'PKCE_MISSING_OFFLINE_ACCESS',
  /** HTTP 429: too many requests. Retryable; `retryAt` says when, if the server did. */
  RateLimited: 'PKCE_RATE_LIMITED',
  /** HTTP 5xx from the server. Retryable. */
  ServerError: 'PKCE_SERVER_ERROR',
  /** `fetch` failed: no connection, DNS, TLS, reset. Retryable. */
  NetworkError: 'PKCE_NETWORK_ERROR',
  /** The answer is not JSON, or not the JSON OAuth prescribes. */
  InvalidResponse: 'PKCE_INVALID_RESPONSE',
  /** A sealing key is not 32 bytes (as bytes or as a base64/base64url string). */
  InvalidKey: 'PKCE_INVALID_KEY',
  /** A sealed value is malformed, was tampered with, or was sealed with another key or purpose. */
  SealedValueInvalid: 'PKCE_SEALED_VALUE_INVALID',
  /** A sealed value is older than `maxAgeMs`. */
  SealedValueExpired: 'PKCE_SEALED_VALUE_EXPIRED',
} as const;

/**
 * One of the values of {@link PkceErrorCode}.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.2
 */
export type PkceErrorCode = (typeof PkceErrorCode)[keyof typeof PkceErrorCode];

/**
 * What a {@link PkceError} may carry besides its code and message.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.2
 */
export interface PkceErrorDetails extends XOAuthErrorDetails {
  /** The OAuth `error` value the server sent (RFC 6749 §5.2), e.g. `invalid_request`. */
  readonly oauthError?: string | undefined;
  /** The server's `error_description`: text written for developers, never a credential. */
  readonly description?: string | undefined;
}

/**
 * The one error class of this package, with a stable {@link PkceErrorCode}, the HTTP `status`
 * when there was an answer, `retryable` (network errors, 5xx, 429) and `retryAt` when the
 * server said when to try again (`Retry-After`, else `x-rate-limit-reset`). Its message says
 * what was wrong and what to do; it never contains a client secret, a code, a verifier, a
 * token or a request body, so it can be logged as is. `instanceof` and {@link isPkceError}
 * recognise it across separately bundled copies of this package.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.2
 */
export class PkceError extends XOAuthError<PkceErrorCode> {
  static override readonly brand: string = '@x-oauth/pkce/PkceError';

  /** The OAuth `error` value the server sent, when it sent one. */
  readonly oauthError: string | undefined;
  /** The server's `error_description`, when it sent one. */
  readonly description: string | undefined;

  constructor(code: PkceErrorCode, message: string, details: PkceErrorDetails = {}) {
    super(code, message, details);
    this.oauthError = details.oauthError;
    this.description = details.description;
  }

  /** A plain copy for structured logs: code, message, status, retry and the OAuth error. */
  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), oauthError: this.oauthError, description: this.description };
  }
}

/**
 * True when `value` is a {@link PkceError} (from any bundle of this package), optionally with
 * the given code.
 *
 * @example if (isPkceError(error, PkceErrorCode.AccessDenied)) showCancelledPage();
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.2
 */
export function isPkceError(value: unknown, code?: PkceErrorCode): value is PkceError {
  return value instanceof PkceError && (code === undefined || value.code === code);
}

/**
 * True when the error means the grant (the refresh token, or the authorization code) can never
 * work again, so the stored tokens should be dropped and the user sent through authorization
 * again. Network errors, 5xx and 429 are never dead grants: retry those.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.2
 */
export function isDeadGrant(error: unknown): boolean {
  return (
    isPkceError(error, PkceErrorCode.RefreshTokenDead) ||
    isPkceError(error, PkceErrorCode.InvalidGrant)
  );
}

/**
 * True when the error is worth retrying later with the same grant: a network failure, a 5xx
 * or a 429. Everything else fails the same way again.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6585#section-4
 */
export function isRetryable(error: unknown): boolean {
  return isPkceError(error) && error.retryable;
}
