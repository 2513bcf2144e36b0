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
 * The one error class of this package. Its message says what was wrong and how to fix it;
 * it never contains a secret, a token, a signature or a URL (which may carry tokens).
 */
export class OAuth1Error extends Error {
  /** Stable, machine-readable reason; see {@link OAuth1ErrorCode}. */
  readonly code: OAuth1ErrorCode;

  constructor(code: OAuth1ErrorCode, message: string) {
    super(message);
    this.name = 'OAuth1Error';
    this.code = code;
  }
}
