/**
 * Fills `bytes` with cryptographically strong random values. The default is
 * `crypto.getRandomValues`; tests inject a deterministic one.
 *
 * @see https://www.rfc-editor.org/rfc/rfc7636#section-7.1
 */
export type RandomSource = (bytes: Uint8Array) => void;

/**
 * `crypto.getRandomValues` from Web Crypto, available in browsers, workers and Node ≥ 20.
 *
 * @see https://www.rfc-editor.org/rfc/rfc7636#section-7.1
 */
export const webCryptoRandom: RandomSource = (bytes) => {
  crypto.getRandomValues(bytes);
};

/**
 * Returns `length` random bytes from `random`.
 *
 * @see https://www.rfc-editor.org/rfc/rfc7636#section-7.1
 */
export function randomBytes(
  length: number,
  random: RandomSource = webCryptoRandom,
): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(length);
  random(bytes);
  return bytes;
}
