import { XOAuthError } from '@x-oauth/internal';

/**
 * Stable codes of {@link OAuth1Error}. Switch on these, never on messages.
 */
export const OAuth1ErrorCode = {
  /** The URL is not an absolute `http:` or `https:` URL, or carries `user:password@`. */
  InvalidUrl: 'OAUTH1_INVALID_URL',
  /** The HTTP method is not a valid token (RFC 9110 §5.6.2). */
  InvalidMethod: 'OAUTH1_INVALID_METHOD',
  /** A consumer key/secret or token key/secret is missing or not a string. */
  InvalidCredentials: 'OAUTH1_INVALID_CREDENTIALS',
  /** A parameter name or value is not a string, or an option (nonce, timestamp, realm) is malformed. */
  InvalidParameter: 'OAUTH1_INVALID_PARAMETER',
  /** `form` was given something that is not form data (JSON, multipart, binary). */
  InvalidForm: 'OAUTH1_INVALID_FORM',
  /** A string holds a lone UTF-16 surrogate, which has no UTF-8 encoding. */
  InvalidEncoding: 'OAUTH1_INVALID_ENCODING',
  /** An `Authorization: OAuth …` header could not be parsed. */
  InvalidAuthorizationHeader: 'OAUTH1_INVALID_AUTHORIZATION_HEADER',
} as const;

/** One of the values of {@link OAuth1ErrorCode}. */
export type OAuth1ErrorCode = (typeof OAuth1ErrorCode)[keyof typeof OAuth1ErrorCode];

/**
 * The one error class of this package, with a stable {@link OAuth1ErrorCode}. Its message says
 * what was wrong and how to fix it; it never contains a secret, a token, a signature or a URL
 * (which may carry tokens). Bad input is never worth retrying as is, so `retryable` is false.
 * `instanceof` and {@link isOAuth1Error} recognise it across separately bundled copies of this
 * package (the Node and Web Crypto entries, ESM and CJS builds).
 *
 * @see https://www.rfc-editor.org/rfc/rfc5849#section-3.4
 */
export class OAuth1Error extends XOAuthError<OAuth1ErrorCode> {
  static override readonly brand: string = '@x-oauth/oauth1-signature/OAuth1Error';
}

/**
 * True when `value` is an {@link OAuth1Error} (from any bundle of this package), optionally
 * with the given code.
 *
 * @example if (isOAuth1Error(error, OAuth1ErrorCode.InvalidUrl)) fixTheUrl();
 * @see https://www.rfc-editor.org/rfc/rfc5849#section-3.4
 */
export function isOAuth1Error(value: unknown, code?: OAuth1ErrorCode): value is OAuth1Error {
  return value instanceof OAuth1Error && (code === undefined || value.code === code);
}
