// The request token's secret must survive the redirect to X and back, on whichever instance
// of the server the callback lands: it travels in a cookie, sealed (AES-256-GCM) exactly as
// @x-oauth/pkce seals its transaction, with its own purpose so one cannot be opened as the
// other.
import { openValue, PkceError, PkceErrorCode, type SealingKey, sealValue } from '@x-oauth/pkce';
import { checkKeyAndSecret, type KeyAndSecret } from '../auth/credentials.js';
import { XApiError, XApiErrorCode } from '../errors.js';
import { RequestToken } from './oauth1-tokens.js';

const PURPOSE = 'x-oauth/client/oauth1-request-token';

/**
 * Options of {@link openRequestToken}.
 *
 * @see https://www.rfc-editor.org/rfc/rfc5116#section-5.1
 */
export interface OpenRequestTokenOptions {
  /** Refuse cookies sealed longer ago than this. Default 15 minutes (X's request-token life). */
  readonly maxAgeMs?: number | undefined;
  readonly now?: (() => number) | undefined;
}

/**
 * Seals a request token (key and secret) for a cookie: `v1.<iv>.<ciphertext>`, only
 * `A-Z a-z 0-9 - _ .`. Set it `HttpOnly; Secure; SameSite=Lax; Path=/callback` with a short
 * `Max-Age`. `key` is 32 bytes shared by every instance (as for `sealTransaction`).
 *
 * @see https://www.rfc-editor.org/rfc/rfc5116#section-5.1
 */
export async function sealRequestToken(
  requestToken: KeyAndSecret,
  key: SealingKey,
  options: { now?: (() => number) | undefined } = {},
): Promise<string> {
  const token = checkKeyAndSecret(requestToken, 'requestToken');
  try {
    return await sealValue({ key: token.key, secret: token.secret }, key, {
      purpose: PURPOSE,
      now: options.now,
    });
  } catch (error) {
    throw sealError(error);
  }
}

/**
 * Opens a sealed request token. Throws `X_SEALED_VALUE_INVALID` when the cookie was altered,
 * sealed with another key or purpose, or is older than `maxAgeMs`.
 *
 * @see https://www.rfc-editor.org/rfc/rfc5116#section-5.1
 */
export async function openRequestToken(
  sealed: string,
  key: SealingKey,
  options: OpenRequestTokenOptions = {},
): Promise<RequestToken> {
  let value: unknown;
  try {
    value = await openValue(sealed, key, {
      purpose: PURPOSE,
      maxAgeMs: options.maxAgeMs ?? 15 * 60_000,
      now: options.now,
    });
  } catch (error) {
    throw sealError(error);
  }
  try {
    const token = checkKeyAndSecret(value, 'sealed request token');
    return new RequestToken(token.key, token.secret, true);
  } catch {
    throw new XApiError(
      XApiErrorCode.SealedValueInvalid,
      'The sealed value is not a request token.',
    );
  }
}

function sealError(error: unknown): unknown {
  if (!(error instanceof PkceError)) return error;
  if (error.code === PkceErrorCode.InvalidKey || error.code === PkceErrorCode.InvalidArgument) {
    return new XApiError(XApiErrorCode.InvalidArgument, error.message, { causeCode: error.code });
  }
  return new XApiError(
    XApiErrorCode.SealedValueInvalid,
    error.code === PkceErrorCode.SealedValueExpired
      ? 'The sealed request token is too old: start the sign-in again.'
      : 'The sealed request token is malformed, was altered, or was sealed with another key: start the sign-in again.',
    { causeCode: error.code },
  );
}
