// PKCE check (RFC 7636 §4.6): S256 compares BASE64URL(SHA256(verifier)) with the challenge.
import { createHash } from 'node:crypto';
import { constantTimeEqual } from '@x-oauth/internal';

/** Whether `verifier` matches the challenge stored with the code. */
export function pkceMatches(
  verifier: string,
  challenge: string,
  method: 'S256' | 'plain',
): boolean {
  const derived =
    method === 'S256'
      ? createHash('sha256').update(verifier, 'ascii').digest('base64url')
      : verifier;
  return constantTimeEqual(derived, challenge);
}
