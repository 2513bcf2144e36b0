import type { KeyAndSecret } from '@x-oauth/internal';
import { BearerError, BearerErrorCode } from './errors.js';

/**
 * Checks a `{ key, secret }` pair before anything is sent; the message names the option and
 * never its value.
 *
 * @throws {BearerError} `BEARER_INVALID_ARGUMENT` when the pair is missing or malformed.
 * @see https://docs.x.com/resources/fundamentals/authentication/oauth-2-0/application-only
 */
export function checkCredentials(
  credentials: unknown,
  name: 'consumer' | 'ownerToken',
): KeyAndSecret {
  const hint =
    name === 'consumer'
      ? "the app's API Key and API Key Secret from the developer portal (Keys and tokens)"
      : "the app owner's access token and access token secret from the developer portal";
  if (typeof credentials !== 'object' || credentials === null) {
    throw new BearerError(
      BearerErrorCode.InvalidArgument,
      `\`${name}\` must be { key, secret }: ${hint}.`,
    );
  }
  const key = 'key' in credentials ? credentials.key : undefined;
  const secret = 'secret' in credentials ? credentials.secret : undefined;
  if (typeof key !== 'string' || key === '') {
    throw new BearerError(
      BearerErrorCode.InvalidArgument,
      `\`${name}.key\` is missing or not a non-empty string; pass ${hint}.`,
    );
  }
  if (typeof secret !== 'string' || secret === '') {
    throw new BearerError(
      BearerErrorCode.InvalidArgument,
      `\`${name}.secret\` is missing or not a non-empty string; pass ${hint}.`,
    );
  }
  return { key, secret };
}

// RFC 6750 §2.1 b64token, widened to every visible ASCII character because X's tokens carry
// percent-escapes (`%2F`, `%3D`); anything else (spaces, line breaks) could split the header.
const TOKEN_PATTERN = /^[\x21-\x7E]+$/;

/**
 * True when `token` can be sent as `Authorization: Bearer <token>` unchanged.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-2.1
 */
export function isWellFormedToken(token: unknown): token is string {
  return typeof token === 'string' && TOKEN_PATTERN.test(token);
}

/**
 * Checks a bearer token given by the caller; the message never contains it.
 *
 * @throws {BearerError} `BEARER_INVALID_ARGUMENT` when it is not a non-empty visible-ASCII string.
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-2.1
 */
export function checkToken(token: unknown, name: string): string {
  if (!isWellFormedToken(token)) {
    throw new BearerError(
      BearerErrorCode.InvalidArgument,
      `\`${name}\` must be a bearer token: a non-empty string of visible ASCII characters, sent exactly as X issued it (do not decode its %-escapes).`,
    );
  }
  return token;
}
