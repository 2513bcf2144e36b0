import { unlessAborted } from '@x-oauth/internal';
import { checkRedirectUri } from './authorization.js';
import { isValidCodeVerifier } from './code-challenge.js';
import { PkceError, PkceErrorCode } from './errors.js';
import { postForm } from './post-form.js';
import { processTokenResponse } from './token-response.js';
import type { TokenSet } from './token-set.js';
import type { Clock, OAuth2Client, PendingTransaction, RequestOptions } from './types.js';

/**
 * Options of {@link authorizationCodeGrantRequest}.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.3
 */
export interface AuthorizationCodeGrantRequestOptions extends RequestOptions {
  /** The app; with a `clientSecret` it authenticates with HTTP Basic. */
  client: OAuth2Client;
  /** The code `handleCallback` returned. */
  code: string;
  /** The transaction the authorization started with: its verifier and redirect URI are sent. */
  transaction: Pick<PendingTransaction, 'codeVerifier' | 'redirectUri'> &
    Partial<Pick<PendingTransaction, 'scopes'>>;
}

/**
 * Options of {@link exchangeCode}.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.3
 */
export interface ExchangeCodeOptions extends AuthorizationCodeGrantRequestOptions {
  /** Clock for `expiresAt`; `Date.now` by default. */
  now?: Clock | undefined;
}

/**
 * Sends the authorization code grant (`grant_type=authorization_code`, `code`, `redirect_uri`,
 * `code_verifier`, and `client_id` for a public client) and returns the raw `Response`.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.3
 * @see https://www.rfc-editor.org/rfc/rfc7636#section-4.5
 */
export async function authorizationCodeGrantRequest(
  options: AuthorizationCodeGrantRequestOptions,
): Promise<Response> {
  const { code, transaction } = options;
  if (typeof code !== 'string' || code === '') {
    throw new PkceError(
      PkceErrorCode.InvalidArgument,
      'code must be the non-empty code from handleCallback.',
    );
  }
  if (
    typeof transaction !== 'object' ||
    transaction === null ||
    !isValidCodeVerifier(transaction.codeVerifier)
  ) {
    throw new PkceError(
      PkceErrorCode.InvalidArgument,
      'transaction must be the pending transaction from createAuthorization (its codeVerifier is missing or malformed).',
    );
  }
  checkRedirectUri(transaction.redirectUri);
  const body = new URLSearchParams({
    grant_type: 'authorization_code',
    code,
    redirect_uri: transaction.redirectUri,
    code_verifier: transaction.codeVerifier,
  });
  return postForm('token', options.client, body, options);
}

/**
 * Exchanges the authorization code for a {@link TokenSet}. A code is single-use and short-lived:
 * a second exchange fails with `PKCE_INVALID_GRANT`.
 *
 * @example
 * const code = handleCallback(request.url, transaction);
 * const tokens = await exchangeCode({ client: { clientId, clientSecret }, code, transaction });
 * @throws {PkceError} `PKCE_INVALID_GRANT`, `PKCE_INVALID_CLIENT`, `PKCE_INVALID_REQUEST`,
 *   `PKCE_NETWORK_ERROR`, `PKCE_SERVER_ERROR`, `PKCE_RATE_LIMITED`, `PKCE_INVALID_RESPONSE`...
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.3
 * @see https://www.rfc-editor.org/rfc/rfc7636#section-4.5
 */
export async function exchangeCode(options: ExchangeCodeOptions): Promise<TokenSet> {
  const response = await authorizationCodeGrantRequest(options);
  const processing = processTokenResponse(response, {
    grantType: 'authorization_code',
    ...(options.now === undefined ? {} : { now: options.now }),
    ...(options.transaction.scopes === undefined
      ? {}
      : { fallbackScopes: options.transaction.scopes }),
  });
  return unlessAborted(options.signal, processing);
}
