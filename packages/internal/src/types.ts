/**
 * A key and its secret: an app's consumer key and secret, or an OAuth 1.0a token and token
 * secret. The one shape every package uses for such a pair.
 *
 * @see https://www.rfc-editor.org/rfc/rfc5849#section-1.1
 */
export interface KeyAndSecret {
  readonly key: string;
  readonly secret: string;
}

/**
 * The `fetch` a package calls: the global one by default, or any function with its shape (a
 * mock, a proxy-aware fetch, a runtime's own).
 *
 * @see https://fetch.spec.whatwg.org/#fetch-method
 */
export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;
