// What every route needs: where the demo points, the token store, the in-memory keys and
// shared state of this run. Built once per server by startWebServer.
import type { BearerTokenProvider, RateLimitStore } from '@x-oauth/client';
import type { TokenStore } from '@x-oauth/token-store';
import type { DemoConfig } from '../config.js';
import type { SessionStore } from './sessions.js';

/** The web app's dependencies. */
export interface WebContext {
  readonly config: DemoConfig;
  readonly store: TokenStore;
  /**
   * 32 random bytes made at start and held in memory only: it seals the cookies (session,
   * pending PKCE transaction, OAuth 1.0a request token, messages). A restart signs everyone
   * out, which suits a demo; a deployment shares one key between its instances.
   */
  readonly cookieKey: Uint8Array;
  /** Server-side sessions (the cookie holds only a sealed session id). */
  readonly sessions: SessionStore;
  /** Rate-limit pools of every client this run makes, so a page can show them. */
  readonly rateLimits: RateLimitStore;
  /** The app's bearer token (app-only), cached for the run. */
  readonly bearer: BearerTokenProvider;
  /** The web app's own origin, e.g. `http://127.0.0.1:3000`. */
  readonly origin: string;
  /** The OAuth 2.0 redirect URI: `<origin>/oauth2/callback`. */
  readonly redirectUri: string;
  /** The OAuth 1.0a callback: `X_CALLBACK_URL`, or `<origin>/callback`. */
  readonly oauth1CallbackUrl: string;
  /** Whether cookies get `Secure` (an https origin). */
  readonly secureCookies: boolean;
}
