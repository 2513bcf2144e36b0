/**
 * The one primitive signing needs from the platform, so the same code runs on Web Crypto
 * (browsers, workers, Deno, Bun) and on `node:crypto`, which answers synchronously and is
 * several times faster for short messages.
 *
 * The key is always ASCII (percent-encoded secrets), and so is the data (a base string).
 */
export interface CryptoBackend {
  /** Base64 HMAC-SHA1 of `data` under `key` (RFC 2104, as RFC 5849 §3.4.2 uses it). */
  hmacSha1Base64(key: string, data: string): string | Promise<string>;
}
