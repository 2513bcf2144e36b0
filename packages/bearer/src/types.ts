import type { FetchLike } from '@x-oauth/internal';

/**
 * Where and how requests are sent; shared by every function that talks to X.
 *
 * @see https://docs.x.com/resources/fundamentals/authentication/api-reference
 */
export interface TransportOptions {
  /** The `fetch` to use; default `globalThis.fetch`. */
  readonly fetch?: FetchLike | undefined;
  /**
   * Base URL of X (or of the emulator): `https://api.x.com` by default; a string or `URL`,
   * with or without a trailing slash. `http:` is accepted only for loopback hosts.
   */
  readonly baseUrl?: string | URL | undefined;
}

/**
 * Per-call options.
 *
 * @see https://dom.spec.whatwg.org/#interface-AbortSignal
 */
export interface CallOptions {
  /** Aborts the request; the promise then rejects with the signal's reason. */
  readonly signal?: AbortSignal | undefined;
}
