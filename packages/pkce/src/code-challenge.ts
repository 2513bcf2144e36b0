import { encodeBase64Url } from '@x-oauth/internal';
import { PkceError, PkceErrorCode } from './errors.js';
import { type RandomSource, randomBytes } from './random.js';

/**
 * How the code challenge is derived from the verifier. `S256` is the default and what X's
 * docs use; `plain` sends the verifier itself and protects nothing if the authorization
 * request is seen, so it is only used when asked for by name.
 *
 * @see https://www.rfc-editor.org/rfc/rfc7636#section-4.2
 */
export type CodeChallengeMethod = 'S256' | 'plain';

// 32 random bytes give the 256 bits RFC 7636 §7.1 recommends, and exactly 43 base64url
// characters: the shortest verifier §4.1 allows.
const VERIFIER_BYTES = 32;
const VERIFIER = /^[A-Za-z0-9._~-]{43,128}$/;

/**
 * Makes a fresh code verifier: 32 random bytes, base64url-encoded (43 characters).
 *
 * @see https://www.rfc-editor.org/rfc/rfc7636#section-4.1
 */
export function generateCodeVerifier(random?: RandomSource): string {
  return encodeBase64Url(randomBytes(VERIFIER_BYTES, random));
}

/**
 * True for a string RFC 7636 §4.1 accepts as a code verifier.
 *
 * @see https://www.rfc-editor.org/rfc/rfc7636#section-4.1
 */
export function isValidCodeVerifier(verifier: unknown): verifier is string {
  return typeof verifier === 'string' && VERIFIER.test(verifier);
}

/**
 * Derives the code challenge: `BASE64URL(SHA256(ASCII(code_verifier)))` for `S256`, the
 * verifier itself for `plain`.
 *
 * @example await computeCodeChallenge('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')
 * // 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM' (RFC 7636 Appendix B)
 *
 * @see https://www.rfc-editor.org/rfc/rfc7636#section-4.2
 */
export async function computeCodeChallenge(
  verifier: string,
  method: CodeChallengeMethod = 'S256',
): Promise<string> {
  if (!isValidCodeVerifier(verifier)) {
    throw new PkceError(
      PkceErrorCode.InvalidArgument,
      'A code verifier is 43 to 128 characters from A-Z a-z 0-9 - . _ ~ (RFC 7636 §4.1).',
    );
  }
  if (method === 'plain') return verifier;
  if (method !== 'S256') {
    throw new PkceError(PkceErrorCode.InvalidArgument, 'method must be "S256" or "plain".');
  }
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  return encodeBase64Url(new Uint8Array(digest));
}
