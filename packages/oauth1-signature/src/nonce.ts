const NONCE_BYTES = 32;
const NONCES_PER_FILL = 64;

// Asking the platform's CSPRNG costs more than an HMAC, so it fills one buffer for 64 nonces;
// each 32-byte slice is handed out once.
const pool = new Uint8Array(NONCE_BYTES * NONCES_PER_FILL);
let offset = pool.length;
const HEX = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));

/**
 * A fresh nonce (RFC 5849 §3.3): 32 random bytes from the platform's CSPRNG as 64 lower-case
 * hex characters, which need no percent-encoding.
 */
export function createNonce(): string {
  if (offset === pool.length) {
    crypto.getRandomValues(pool);
    offset = 0;
  }
  let nonce = '';
  for (let index = offset; index < offset + NONCE_BYTES; index++) {
    nonce += HEX[pool[index] as number];
  }
  offset += NONCE_BYTES;
  return nonce;
}
