// Errors of the layers below (PkceError, BearerError, TokenStoreError) become XApiErrors
// keeping their code as `causeCode`. Their messages hold no secret either.
import { BearerErrorCode, isBearerError } from '@x-oauth/bearer';
import { codeOf, isXOAuthError } from '@x-oauth/internal';
import { isDeadGrant } from '@x-oauth/pkce';
import type { TokenStoreErrorCode } from '@x-oauth/token-store';
import { XApiError, XApiErrorCode } from '../errors.js';

// The client loads no part of @x-oauth/token-store at run time (only callers that store tokens
// use it), so its code constant is restated here, checked against the package's type.
const TOKEN_STORE_NEEDS_REAUTH = 'TOKEN_STORE_NEEDS_REAUTH' satisfies TokenStoreErrorCode;

/**
 * The `X_REFRESH_FAILED` error for a failed OAuth 2.0 refresh. A dead refresh token
 * (`PKCE_REFRESH_TOKEN_DEAD`, `TOKEN_STORE_NEEDS_REAUTH`) sets `deadGrant`: authorize again.
 */
export function refreshFailed(error: unknown, endpoint?: string): XApiError {
  if (error instanceof XApiError) return error;
  const causeCode = codeOf(error);
  const deadGrant = isDeadGrant(error) || isXOAuthError(error, TOKEN_STORE_NEEDS_REAUTH);
  return new XApiError(
    XApiErrorCode.RefreshFailed,
    deadGrant
      ? 'The OAuth 2.0 refresh token is dead (used, revoked or expired): send the user through the authorization flow again.'
      : `Refreshing the OAuth 2.0 token set failed${causeCode === undefined ? '' : ` (${causeCode})`}; it can be retried when retryable is true.`,
    {
      endpoint,
      causeCode,
      cause: error,
      deadGrant,
      retryable: !deadGrant && isXOAuthError(error) && error.retryable,
      retryAt: isXOAuthError(error) ? error.retryAt : undefined,
    },
  );
}

/**
 * The error for a failed app-only token request: `X_BAD_CREDENTIALS` for refused keys,
 * `X_NETWORK_ERROR` for no answer, `X_APP_TOKEN_FAILED` otherwise.
 */
export function appTokenFailed(error: unknown, endpoint?: string): unknown {
  if (!isBearerError(error)) return error;
  const details = {
    endpoint,
    causeCode: error.code,
    cause: error,
    status: error.status,
    xCode: error.xCode,
    retryAt: error.retryAt,
  };
  if (error.code === BearerErrorCode.InvalidClientCredentials) {
    return new XApiError(
      XApiErrorCode.BadCredentials,
      'X refused the app keys when asked for a bearer token (error 99): the API Key and Secret are wrong, regenerated or revoked.',
      details,
    );
  }
  if (error.code === BearerErrorCode.NetworkError) {
    return new XApiError(
      XApiErrorCode.NetworkError,
      'No answer from X to the bearer token request.',
      details,
    );
  }
  if (error.code === BearerErrorCode.InvalidToken) {
    return new XApiError(
      XApiErrorCode.InvalidToken,
      'X reported the bearer token as invalid and there are no app keys to obtain another: generate a new one in the developer portal.',
      details,
    );
  }
  return new XApiError(
    XApiErrorCode.AppTokenFailed,
    `Obtaining the app-only bearer token failed (${error.code}).`,
    { ...details, retryable: error.code === BearerErrorCode.TooManyRequests },
  );
}
