/**
 * The primitives signing needs, so the same code runs on Web Crypto (browsers, workers,
 * Deno, Bun) and on `node:crypto`, which is several times faster for short HMACs.
 *
 * A signing key is always ASCII (percent-encoded secrets), and so is the data (a base string).
 */
export interface CryptoBackend<PreparedKey> {
  /** Base64 HMAC-SHA1 of `data` under `key`, for a key used once (the server side). */
  hmacSha1Base64(key: string, data: string): string | Promise<string>;
  /**
   * Does the per-key part of HMAC once (key padding, key import), for a key that signs
   * again and again: a client's consumer and token pair.
   */
  prepareKey(key: string): PreparedKey;
  /** The same HMAC as {@link hmacSha1Base64}, under a key from {@link prepareKey}. */
  hmacSha1Base64WithPreparedKey(key: PreparedKey, data: string): string | Promise<string>;
  /** A fresh nonce: 32 random bytes as 64 lower-case hex characters (alphanumeric). */
  createNonce(): string;
}

export const NONCE_BYTES = 32;

/**
 * Hands out 32-byte slices of a larger random buffer, each slice once: one call to the
 * system RNG per 64 nonces instead of one per request.
 */
export function createNonceSource(fill: (buffer: Uint8Array) => void): () => string {
  const pool = new Uint8Array(NONCE_BYTES * 64);
  let offset = pool.length;
  const hex = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));
  return () => {
    if (offset === pool.length) {
      fill(pool);
      offset = 0;
    }
    let nonce = '';
    for (let index = offset; index < offset + NONCE_BYTES; index++) {
      nonce += hex[pool[index] as number];
    }
    offset += NONCE_BYTES;
    return nonce;
  };
}
