/**
 * A fresh nonce (RFC 5849 §3.3): 32 random bytes from the platform's CSPRNG as 64 lower-case
 * hex characters, which need no percent-encoding.
 */
export function createNonce(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}
