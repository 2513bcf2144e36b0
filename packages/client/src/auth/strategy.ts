// The one interface every auth strategy implements, so the client sends, retries and keys
// rate-limit pools the same way for OAuth 1.0a, OAuth 2.0 and app-only.
import type { FetchLike } from '@x-oauth/internal';
import type { XApiError } from '../errors.js';

export type { FetchLike };

/**
 * What a strategy may use while authorizing: where X is, how to reach it, and the clock
 * corrected towards X's (for OAuth 1.0a timestamps).
 *
 * @see https://docs.x.com/resources/fundamentals/authentication/overview
 */
export interface AuthContext {
  readonly baseUrl: URL;
  readonly fetch: FetchLike;
  /** Milliseconds since the epoch, corrected towards X's clock. */
  readonly now: () => number;
  /** The caller's signal, for token requests made on its behalf. */
  readonly signal: AbortSignal | undefined;
}

/**
 * The request to authorize.
 *
 * @see https://docs.x.com/resources/fundamentals/authentication/overview
 */
export interface AuthorizeRequest {
  readonly method: string;
  readonly url: URL;
  /** The serialized form body, which OAuth 1.0a signs; JSON and raw bodies are never signed. */
  readonly form: string | undefined;
  readonly context: AuthContext;
}

/**
 * The headers to send, and the credential they carry (opaque: handed back to
 * {@link AuthStrategy.onUnauthorized} so a strategy knows which token X refused).
 *
 * @see https://docs.x.com/resources/fundamentals/authentication/overview
 */
export interface Authorization {
  readonly headers: Readonly<Record<string, string>>;
  readonly credential: unknown;
}

/**
 * A 401 answer, as the strategy sees it.
 *
 * @see https://docs.x.com/x-api/fundamentals/response-codes-and-errors
 */
export interface UnauthorizedEvent {
  readonly error: XApiError;
  readonly authorization: Authorization;
  readonly context: AuthContext;
}

/**
 * An auth strategy. Make one with `oauth1Auth`, `oauth2Auth` or `appOnlyAuth`.
 *
 * @see https://docs.x.com/resources/fundamentals/authentication/overview
 */
export interface AuthStrategy {
  readonly kind: 'oauth1' | 'oauth2' | 'app-only';
  /**
   * Whose rate-limit pools requests spend: `user:<appKey>:<userId>` for user context,
   * `app:<appKey>` for app-only. Holds no secret.
   */
  readonly identity: string;
  /** The app's public key (consumer key or client id), for the app's daily pools. */
  readonly appKey: string;
  /** The OAuth 2.0 scopes granted, when known (checked before sending); else `undefined`. */
  grantedScopes(): readonly string[] | undefined;
  /** The headers that authenticate `request`. */
  authorize(request: AuthorizeRequest): Promise<Authorization>;
  /**
   * X answered 401: `'retry'` when the strategy now holds a credential worth one more try
   * (a refreshed or re-obtained token), `'fail'` otherwise. The client calls it at most once
   * per request, so a refresh can never loop.
   */
  onUnauthorized(event: UnauthorizedEvent): Promise<'retry' | 'fail'>;
}

/** The symbol Node's `util.inspect` calls. */
export { inspectSymbol } from '@x-oauth/internal';

/**
 * A per-instance id for an identity whose user is not known: two instances never share it,
 * so their pools are never mixed up (share pools by passing `userId`).
 */
export function instanceId(): string {
  const bytes = new Uint8Array(6);
  crypto.getRandomValues(bytes);
  return `instance-${Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('')}`;
}
