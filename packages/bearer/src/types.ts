/**
 * A key and its secret: the app's API Key and Secret (consumer credentials), or the app
 * owner's OAuth 1.0a access token and secret.
 *
 * @see https://docs.x.com/resources/fundamentals/authentication/oauth-2-0/application-only
 */
export interface Credentials {
  readonly key: string;
  readonly secret: string;
}

/**
 * The `fetch` this package calls: the global one by default, or any function with its shape
 * (a mock, a proxy-aware fetch, a runtime's own).
 *
 * @see https://fetch.spec.whatwg.org/#fetch-method
 */
export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

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
