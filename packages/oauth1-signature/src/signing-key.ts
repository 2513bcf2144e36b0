import type { KeyAndSecret } from '@x-oauth/internal';
import { OAuth1Error, OAuth1ErrorCode } from './errors.js';
import { percentEncode } from './percent-encode.js';

function invalidCredentials(problem: string): OAuth1Error {
  return new OAuth1Error(OAuth1ErrorCode.InvalidCredentials, problem);
}

/** Checks a `{ key, secret }` pair before it signs. */
export function checkCredentials(
  credentials: KeyAndSecret | undefined,
  which: 'consumer' | 'token',
): void {
  // Names the field and where its value comes from, never the value.
  const hint =
    which === 'consumer' ? "the app's API Key and Secret" : 'the access token and secret';
  if (typeof credentials !== 'object' || credentials === null) {
    throw invalidCredentials(`\`${which}\` must be { key, secret }: ${hint}.`);
  }
  for (const field of ['key', 'secret'] as const) {
    const value = credentials[field];
    // A token secret may be empty (X's request tokens never are, but RFC 5849 §3.4.2 allows it).
    if (typeof value !== 'string' || (value === '' && (field === 'key' || which === 'consumer'))) {
      throw invalidCredentials(`\`${which}.${field}\` is missing or not a string: pass ${hint}.`);
    }
  }
}

/**
 * The HMAC-SHA1 key of RFC 5849 §3.4.2: the encoded consumer secret, `&`, and the encoded
 * token secret (empty when there is no token).
 */
export function signingKey(consumerSecret: string, tokenSecret = ''): string {
  return `${percentEncode(consumerSecret)}&${percentEncode(tokenSecret)}`;
}
