import { unlessAborted } from '@x-oauth/internal';
import { errorFromResponse } from './error-response.js';
import { PkceError, PkceErrorCode } from './errors.js';
import { postForm } from './post-form.js';
import { member, readResponseBody } from './response-body.js';
import type { OAuth2Client, RequestOptions } from './types.js';

/**
 * Which kind of token is revoked (RFC 7009 §2.1 `token_type_hint`).
 *
 * @see https://www.rfc-editor.org/rfc/rfc7009#section-2.1
 */
export type TokenTypeHint = 'access_token' | 'refresh_token';

/**
 * Options of {@link revocationRequest} and {@link revokeToken}.
 *
 * @see https://www.rfc-editor.org/rfc/rfc7009#section-2.1
 */
export interface RevokeTokenOptions extends RequestOptions {
  /** The app; with a `clientSecret` it authenticates with HTTP Basic. */
  client: OAuth2Client;
  /** The access or refresh token to revoke. */
  token: string;
  /** Which kind `token` is; helps the server find it. */
  tokenTypeHint?: TokenTypeHint | undefined;
}

/**
 * Sends a revocation request (`token`, `token_type_hint`, and `client_id` for a public client)
 * and returns the raw `Response`.
 *
 * @see https://www.rfc-editor.org/rfc/rfc7009#section-2.1
 */
export async function revocationRequest(options: RevokeTokenOptions): Promise<Response> {
  const { token, tokenTypeHint } = options;
  if (typeof token !== 'string' || token === '') {
    throw new PkceError(PkceErrorCode.InvalidArgument, 'token must be a non-empty string.');
  }
  if (
    tokenTypeHint !== undefined &&
    tokenTypeHint !== 'access_token' &&
    tokenTypeHint !== 'refresh_token'
  ) {
    throw new PkceError(
      PkceErrorCode.InvalidArgument,
      'tokenTypeHint must be "access_token" or "refresh_token".',
    );
  }
  const body = new URLSearchParams({ token });
  if (tokenTypeHint !== undefined) body.set('token_type_hint', tokenTypeHint);
  return postForm('revoke', options.client, body, options);
}

/**
 * Checks an answer of the revocation endpoint: X answers `{"revoked":true}`. Anything else
 * throws the {@link PkceError} it stands for.
 *
 * @see https://www.rfc-editor.org/rfc/rfc7009#section-2.2
 */
export async function processRevocationResponse(response: Response): Promise<void> {
  const body = await readResponseBody(response);
  if (response.status !== 200) throw errorFromResponse(response, body, 'revocation');
  if (!body.isJson || member(body.json, 'revoked') !== true) {
    throw new PkceError(
      PkceErrorCode.InvalidResponse,
      'The revocation endpoint answered 200 without {"revoked":true}: the token may still be valid.',
      { status: response.status },
    );
  }
}

/**
 * Revokes an access or refresh token, for example when the user signs out.
 *
 * @example await revokeToken({ client, token: tokens.accessToken, tokenTypeHint: 'access_token' });
 * @see https://www.rfc-editor.org/rfc/rfc7009
 */
export async function revokeToken(options: RevokeTokenOptions): Promise<void> {
  const response = await revocationRequest(options);
  await unlessAborted(options.signal, processRevocationResponse(response));
}
