import { readRetryAt } from '@x-oauth/internal';
import { PkceError, PkceErrorCode } from './errors.js';
import { type ResponseBody, stringMember } from './response-body.js';

/**
 * Which request an answer belongs to; the same OAuth error means different things.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.2
 */
export type TokenOperation = 'authorization_code' | 'refresh_token' | 'revocation';

// X answers a used, revoked or expired refresh token with invalid_request and this text rather
// than RFC 6749's invalid_grant; a code that is bad or used, and a verifier that does not
// match or a redirect URI that differs from the authorization's, also come as invalid_request
// (RFC 6749 §5.2 says invalid_grant). The grant is dead then, it is not a bad request.
const DEAD_TOKEN = /value passed for the token was invalid/i;
const BAD_CODE = /value passed for the (authorization code|code verifier|redirect uri)/i;

/**
 * Turns a non-2xx answer of the token or revocation endpoint into a {@link PkceError}:
 * 429 and 5xx are retryable; `invalid_grant` (and X's "Value passed for the token was invalid.")
 * on a refresh means the refresh token is dead; a bad or reused code is `PKCE_INVALID_GRANT`;
 * `invalid_client`/`unauthorized_client` is `PKCE_INVALID_CLIENT`. Only the server's `error`
 * and `error_description` are kept: never the request or any token.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.2
 * @see https://www.rfc-editor.org/rfc/rfc7009#section-2.2.1
 */
export function errorFromResponse(
  response: Response,
  body: ResponseBody,
  operation: TokenOperation,
  now: number = Date.now(),
): PkceError {
  const status = response.status;
  const oauthError = body.isJson ? stringMember(body.json, 'error') : undefined;
  const rawDescription = body.isJson ? stringMember(body.json, 'error_description') : undefined;
  const description = rawDescription === undefined ? undefined : truncate(rawDescription);
  const details = {
    status,
    ...(oauthError === undefined ? {} : { oauthError }),
    ...(description === undefined ? {} : { description }),
  };
  const said = `${oauthError === undefined ? '' : ` ${oauthError}`}${
    description === undefined ? '' : ` (${description})`
  }`;

  if (status === 429) {
    const retryAt = readRetryAt(response.headers, now);
    const wait =
      retryAt === undefined
        ? ' later'
        : ` in ${Math.max(0, Math.ceil((retryAt.getTime() - now) / 1000))} s`;
    return new PkceError(
      PkceErrorCode.RateLimited,
      `Too many requests (429): retry${wait}; the grant is still good.`,
      { ...details, retryable: true, retryAt },
    );
  }
  if (status >= 500) {
    return new PkceError(
      PkceErrorCode.ServerError,
      `The server failed (${status}): retry later; the grant is still good.`,
      { ...details, retryable: true },
    );
  }
  if (oauthError === undefined) {
    return new PkceError(
      PkceErrorCode.InvalidResponse,
      `Unexpected ${status} answer without an OAuth error${body.isJson ? '' : ' (not JSON)'}.`,
      details,
    );
  }
  if (oauthError === 'invalid_client' || oauthError === 'unauthorized_client' || status === 401) {
    return new PkceError(
      PkceErrorCode.InvalidClient,
      `The client was refused:${said}. Check the client id and secret, and that a confidential client sends its secret (clientSecret) while a public one does not.`,
      details,
    );
  }
  const deadToken =
    oauthError === 'invalid_grant' ||
    (oauthError === 'invalid_request' && DEAD_TOKEN.test(rawDescription ?? ''));
  if (operation === 'refresh_token' && deadToken) {
    return new PkceError(
      PkceErrorCode.RefreshTokenDead,
      `The refresh token is dead (used, revoked or expired):${said}. Drop the stored tokens and authorize the user again.`,
      details,
    );
  }
  if (
    operation === 'authorization_code' &&
    (oauthError === 'invalid_grant' ||
      (oauthError === 'invalid_request' && BAD_CODE.test(rawDescription ?? '')))
  ) {
    return new PkceError(
      PkceErrorCode.InvalidGrant,
      `The authorization code was refused (invalid, expired, already used, or the verifier does not match):${said}. Start a new authorization.`,
      details,
    );
  }
  if (oauthError === 'invalid_request') {
    return new PkceError(PkceErrorCode.InvalidRequest, `The request was refused:${said}.`, details);
  }
  return new PkceError(PkceErrorCode.OAuthError, `The server answered${said}.`, details);
}

function truncate(text: string): string {
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}
