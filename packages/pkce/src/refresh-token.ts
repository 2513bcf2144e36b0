import { unlessAborted } from '@x-oauth/internal';
import { PkceError, PkceErrorCode } from './errors.js';
import { postForm } from './post-form.js';
import { processTokenResponse } from './token-response.js';
import { canRefresh, type TokenSet, type TokenSetFields } from './token-set.js';
import type { Clock, OAuth2Client, RequestOptions } from './types.js';

/**
 * Options of {@link refreshTokenGrantRequest}.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-6
 */
export interface RefreshTokenGrantRequestOptions extends RequestOptions {
  /** The app; with a `clientSecret` it authenticates with HTTP Basic. */
  client: OAuth2Client;
  /** The current set; its refresh token is sent (and is dead once the answer arrives). */
  tokenSet: TokenSetFields;
}

/**
 * Options of {@link refreshToken}.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-6
 */
export interface RefreshTokenOptions extends RefreshTokenGrantRequestOptions {
  /** Clock for `expiresAt`; `Date.now` by default. */
  now?: Clock | undefined;
}

/**
 * Sends the refresh token grant (`grant_type=refresh_token`, `refresh_token`, and `client_id`
 * for a public client) and returns the raw `Response`. Throws `PKCE_MISSING_OFFLINE_ACCESS`
 * before sending anything when the set has no refresh token or lacks `offline.access`.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-6
 */
export async function refreshTokenGrantRequest(
  options: RefreshTokenGrantRequestOptions,
): Promise<Response> {
  const { tokenSet } = options;
  if (typeof tokenSet !== 'object' || tokenSet === null || !Array.isArray(tokenSet.scopes)) {
    throw new PkceError(PkceErrorCode.InvalidArgument, 'tokenSet must be the TokenSet to refresh.');
  }
  if (!canRefresh(tokenSet) || tokenSet.refreshToken === undefined) {
    throw new PkceError(
      PkceErrorCode.MissingOfflineAccess,
      'This token set cannot be refreshed: it has no refresh token, which X issues only when the "offline.access" scope is granted. Authorize again with offline.access.',
    );
  }
  const body = new URLSearchParams({
    grant_type: 'refresh_token',
    refresh_token: tokenSet.refreshToken,
  });
  return postForm('token', options.client, body, options);
}

/**
 * Refreshes a token set and returns the new one. X rotates refresh tokens: the old one is dead
 * as soon as this succeeds, so replace the stored set with the returned one at once (the old set
 * is frozen and never changed). A refresh token that is dead already fails with
 * `PKCE_REFRESH_TOKEN_DEAD` (`isDeadGrant(error)`); network errors, 5xx and 429 are retryable
 * and never mean the grant is dead.
 *
 * @example
 * if (isExpired(tokens, 60_000)) tokens = await refreshToken({ client, tokenSet: tokens });
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-6
 * @see https://www.rfc-editor.org/rfc/rfc9700#section-4.14.2
 */
export async function refreshToken(options: RefreshTokenOptions): Promise<TokenSet> {
  const response = await refreshTokenGrantRequest(options);
  const processing = processTokenResponse(response, {
    grantType: 'refresh_token',
    // RFC 6749 §5.1: an answer without `scope` grants the scopes of the old set.
    fallbackScopes: options.tokenSet.scopes,
    ...(options.now === undefined ? {} : { now: options.now }),
  });
  return unlessAborted(options.signal, processing);
}
