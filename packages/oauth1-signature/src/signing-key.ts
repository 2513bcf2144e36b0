import type { KeyAndSecret } from '@x-oauth/internal';
import { OAuth1Error, OAuth1ErrorCode } from './errors.js';
import { percentEncode } from './percent-encode.js';

function invalidCredentials(problem: string): OAuth1Error {
  return new OAuth1Error(OAuth1ErrorCode.InvalidCredentials, problem);
}

/**
 * Checks a `{ key, secret }` pair before it signs. The message names the field and where to
 * find it, never its value.
 */
export function checkCredentials(
  credentials: KeyAndSecret | undefined,
  which: 'consumer' | 'token',
): void {
  const hint =
    which === 'consumer'
      ? "the app's API Key and Secret from the developer portal"
      : "the user's access token and secret (or the request token and its secret)";
  if (typeof credentials !== 'object' || credentials === null) {
    throw invalidCredentials(`\`${which}\` must be { key, secret }: ${hint}.`);
  }
  if (typeof credentials.key !== 'string' || credentials.key.length === 0) {
    throw invalidCredentials(`\`${which}.key\` is missing or not a string; pass ${hint}.`);
  }
  if (
    typeof credentials.secret !== 'string' ||
    (which === 'consumer' && credentials.secret.length === 0)
  ) {
    throw invalidCredentials(`\`${which}.secret\` is missing or not a string; pass ${hint}.`);
  }
}

/**
 * The HMAC-SHA1 key of RFC 5849 §3.4.2: the encoded consumer secret, `&`, and the encoded
 * token secret (empty when there is no token).
 */
export function signingKey(consumerSecret: string, tokenSecret = ''): string {
  return `${percentEncode(consumerSecret)}&${percentEncode(tokenSecret)}`;
}
