import type { NonceCache } from './types.js';
import { DEFAULT_TIMESTAMP_WINDOW_SECONDS } from './verify.js';

/** Options of {@link createMemoryNonceCache}. */
export interface MemoryNonceCacheOptions {
  /** How long a nonce is remembered past its timestamp; match `timestampWindowSeconds`. Default 300. */
  readonly windowSeconds?: number;
  /** Current time in milliseconds; default `Date.now`. */
  readonly now?: () => number;
}

/**
 * A {@link NonceCache} in process memory, for one server process (and tests). Each nonce is
 * kept until its timestamp has left the window, after which {@link verifyRequest} refuses the
 * request as stale anyway, so memory stays bounded by the request rate times the window.
 */
export function createMemoryNonceCache(options: MemoryNonceCacheOptions = {}): NonceCache {
  const windowSeconds = options.windowSeconds ?? DEFAULT_TIMESTAMP_WINDOW_SECONDS;
  const now = options.now ?? Date.now;
  const expiries = new Map<string, number>();
  let nextSweep = 0;

  function sweep(nowSeconds: number): void {
    for (const [entry, expiresAt] of expiries) if (expiresAt < nowSeconds) expiries.delete(entry);
    nextSweep = nowSeconds + windowSeconds;
  }

  return {
    remember(scope, nonce, timestampSeconds) {
      const nowSeconds = Math.floor(now() / 1000);
      if (nowSeconds >= nextSweep) sweep(nowSeconds);
      const entry = `${scope}\n${nonce}`;
      const expiresAt = expiries.get(entry);
      if (expiresAt !== undefined && expiresAt >= nowSeconds) return false;
      expiries.set(entry, Math.max(timestampSeconds, nowSeconds) + windowSeconds);
      return true;
    },
  };
}
