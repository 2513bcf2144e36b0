import type { FetchLike } from '@x-oauth/internal';
import type { OAuth2Endpoints } from './endpoints.js';
import type { RandomSource } from './random.js';
import type { XScope } from './scopes.js';

/**
 * The app as registered on X. A public client (a browser SPA, a mobile app) has only a
 * client id; a confidential client (a web server) also has a client secret, which X requires
 * as HTTP Basic on the token and revocation endpoints.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-2.1
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-2.3.1
 */
export interface OAuth2Client {
  /** The OAuth 2.0 Client ID from the developer portal. */
  readonly clientId: string;
  /** The OAuth 2.0 Client Secret; only for confidential clients (never in a browser). */
  readonly clientSecret?: string;
}

/**
 * What must survive the redirect to X and back: the state to check, the verifier to prove
 * possession, the redirect URI to repeat and the scopes asked for. It holds a secret (the
 * verifier): keep it server-side or sealed (see `sealTransaction`), or in the tab's
 * `sessionStorage` in a browser app, and discard it after the callback.
 *
 * @see https://www.rfc-editor.org/rfc/rfc7636#section-4.1
 */
export interface PendingTransaction {
  /** The `state` sent with the authorization request (RFC 6749 §10.12). */
  readonly state: string;
  /** The PKCE code verifier (RFC 7636 §4.1). Secret. */
  readonly codeVerifier: string;
  /** The `redirect_uri` sent, which the token request must repeat (RFC 6749 §4.1.3). */
  readonly redirectUri: string;
  /** The scopes asked for. */
  readonly scopes: readonly XScope[];
  /** When the authorization started, in milliseconds since the epoch (from `now`). */
  readonly createdAt: number;
}

/**
 * Options every network call accepts.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-3.2
 */
export interface RequestOptions {
  /** Replaces X's endpoints (all or some); see `endpointsFromBaseUrl`. */
  endpoints?: Partial<OAuth2Endpoints> | undefined;
  /** The `fetch` to use; the global one by default. */
  fetch?: FetchLike | undefined;
  /** Aborts the request; the abort reason is thrown as is. */
  signal?: AbortSignal | undefined;
}

/**
 * An injectable clock, milliseconds since the epoch; `Date.now` by default.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.1
 */
export type Clock = () => number;

/**
 * Re-exported from `random.ts`: the injectable random source.
 *
 * @see https://www.rfc-editor.org/rfc/rfc7636#section-7.1
 */
export type { RandomSource };
