import { OAuth1Error, OAuth1ErrorCode } from './errors.js';

const UNRESERVED_ONLY = /^[A-Za-z0-9\-._~]*$/;

// encodeURIComponent leaves these five unescaped; RFC 3986 §2.3 does not list them as unreserved.
const SUB_DELIMS_LEFT_BY_ENCODE_URI_COMPONENT = /[!'()*]/g;

function hexEscape(character: string): string {
  return `%${character.charCodeAt(0).toString(16).toUpperCase()}`;
}

/**
 * Percent-encodes a string as RFC 5849 §3.6 requires: every byte of its UTF-8 form except the
 * unreserved `A-Z a-z 0-9 - . _ ~` becomes `%XX` with upper-case hex (so `!*'()` are encoded,
 * and a space is `%20`, never `+`).
 *
 * @throws {OAuth1Error} `OAUTH1_INVALID_ENCODING` for a lone UTF-16 surrogate,
 *   `OAUTH1_INVALID_PARAMETER` for a value that is not a string.
 * @see https://www.rfc-editor.org/rfc/rfc5849#section-3.6
 */
export function percentEncode(value: string): string {
  if (typeof value !== 'string') {
    throw new OAuth1Error(
      OAuth1ErrorCode.InvalidParameter,
      `percentEncode expects a string, not ${value === null ? 'null' : typeof value}; use String() first.`,
    );
  }
  if (UNRESERVED_ONLY.test(value)) return value;
  let encoded: string;
  try {
    encoded = encodeURIComponent(value);
  } catch {
    throw new OAuth1Error(
      OAuth1ErrorCode.InvalidEncoding,
      'A parameter holds a lone UTF-16 surrogate (no UTF-8 form); pass well-formed text.',
    );
  }
  return encoded.replace(SUB_DELIMS_LEFT_BY_ENCODE_URI_COMPONENT, hexEscape);
}

/**
 * Encodes text that {@link percentEncode} already encoded a second time, as the base string
 * holds parameters (RFC 5849 §3.4.1.1): its output has only unreserved characters and `%XX`
 * escapes, so only `%` changes, to `%25`.
 */
export function encodeAgain(encoded: string): string {
  return encoded.includes('%') ? encoded.replaceAll('%', '%25') : encoded;
}
