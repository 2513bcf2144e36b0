// Public shapes of the emulator: apps, users, options, the control surface.
import type { EndpointKey } from './endpoints.js';

/** An app's permission level, as set in X's developer portal (User authentication settings). */
export type AppPermission = 'read' | 'read-write' | 'read-write-dm';

/** OAuth 2.0 client type: confidential clients authenticate with HTTP Basic, public ones do not. */
export type ClientType = 'confidential' | 'public';

/** A developer app registered with the emulator. */
export interface EmulatorApp {
  readonly id: string;
  readonly name: string;
  /** OAuth 1.0a consumer key (X calls it "API Key"). */
  readonly consumerKey: string;
  /** OAuth 1.0a consumer secret ("API Key Secret"). */
  readonly consumerSecret: string;
  /** OAuth 2.0 client id. */
  readonly clientId: string;
  /** OAuth 2.0 client secret; `undefined` for a public client. */
  readonly clientSecret: string | undefined;
  readonly permission: AppPermission;
  /** Registered callback / redirect URLs, compared exactly. */
  readonly callbackUrls: readonly string[];
  readonly clientType: ClientType;
  /** The user who owns the app (whose access token may invalidate the app's bearer token). */
  readonly ownerId: string;
}

/** A user account of the emulated X. */
export interface EmulatorUser {
  /** Numeric id as a string, like X's `id_str`. */
  readonly id: string;
  /** The handle without `@` (X's `screen_name` / `username`). */
  readonly screenName: string;
  /** Display name. */
  readonly name: string;
}

/** What {@link Emulator.addApp} accepts; everything not given is generated. */
export interface AddAppInput {
  readonly name?: string;
  readonly consumerKey?: string;
  readonly consumerSecret?: string;
  readonly clientId?: string;
  readonly clientSecret?: string;
  readonly permission?: AppPermission;
  readonly callbackUrls?: readonly string[];
  readonly clientType?: ClientType;
  readonly ownerId?: string;
}

/** What {@link Emulator.addUser} accepts. */
export interface AddUserInput {
  readonly screenName: string;
  readonly name?: string;
  readonly id?: string;
}

/**
 * A rate-limit rule for one endpoint. `limit` applies to user-context requests (per app and
 * user); `appLimit` to app-only requests (per app; defaults to `limit`). The optional daily
 * caps add `x-app-limit-24hour-*` (all requests of the app) and `x-user-limit-24hour-*`.
 */
export interface RateLimitRule {
  readonly limit: number;
  readonly appLimit?: number;
  readonly windowSeconds: number;
  readonly appDaily?: number;
  readonly userDaily?: number;
}

/** How the request authenticated, as recorded in the request log. */
export type AuthKind = 'oauth1' | 'oauth2-user' | 'app-only' | 'basic' | 'none';

/** One entry of the request log. It never holds a secret, a token or a query string. */
export interface RequestLogEntry {
  readonly method: string;
  /** The path without its query string. */
  readonly path: string;
  /** The endpoint template, e.g. `POST /2/oauth2/token`; `unknown` for unmatched paths. */
  readonly endpoint: string;
  /** HTTP status sent; `0` when the connection was dropped by a fault. */
  readonly status: number;
  readonly auth: AuthKind;
  /** Emulator time (ms since the epoch) when the request arrived. */
  readonly at: number;
}

/** The kinds of fault {@link Emulator.injectFault} can inject. */
export type FaultKind = 'latency' | 'status' | 'drop' | 'malformed-json';

/** A fault to inject into matching requests. */
export interface FaultSpec {
  /** Only this endpoint; every endpoint (but the control routes) when absent. */
  readonly endpoint?: EndpointKey;
  /** Share of matching requests affected, 0..1; default 1. */
  readonly share?: number;
  /** Affect at most this many requests, then the fault is removed; unlimited when absent. */
  readonly times?: number;
  readonly kind: FaultKind;
  /** For `latency`: the delay in real milliseconds before the request is handled. */
  readonly latencyMs?: number;
  /** For `status`: the status to answer with (default 503), with an X-shaped error body. */
  readonly status?: number;
}

/**
 * TLS settings of {@link EmulatorOptions.tls}. Give `caDir` (the CA is created there on first
 * use), or both `caCertPath` and `caKeyPath` to sign with a CA of your own.
 */
export interface EmulatorTlsOptions {
  /** Directory of the local CA (`ca.pem`, `ca-key.pem`); default `~/.x-oauth-emulator`. */
  readonly caDir?: string;
  /** PEM certificate of your own CA; needs `caKeyPath`. */
  readonly caCertPath?: string;
  /** PEM private key of your own CA; needs `caCertPath`. */
  readonly caKeyPath?: string;
}

/** Options of {@link startEmulator}. */
export interface EmulatorOptions {
  /**
   * Serves HTTPS with a certificate for X's host names (`api.x.com`, `api.twitter.com`,
   * `x.com`, `twitter.com`, `upload.x.com`, `upload.twitter.com`) and the loopback names,
   * signed by a local CA (see {@link Emulator.caCertPath}). Default false (plain HTTP).
   */
  readonly tls?: boolean | EmulatorTlsOptions;
  /**
   * Also starts an HTTP CONNECT forward proxy on loopback ({@link Emulator.proxyUrl}) that
   * tunnels X's host names on port 443 to the emulator and refuses every other host with a
   * 403. Implies `tls`. Default false.
   */
  readonly proxy?: boolean;
  /** Port of the forward proxy; `0` (default) picks a free one. */
  readonly proxyPort?: number;
  /** TCP port; `0` (default) picks a free one. */
  readonly port?: number;
  /** Interface to listen on; default `127.0.0.1`. Non-loopback needs `allowNonLoopback`. */
  readonly host?: string;
  /** Allows listening on a non-loopback interface (the emulator has no real security). */
  readonly allowNonLoopback?: boolean;
  /** Seed for the deterministic app credentials; default `x-oauth`. */
  readonly seed?: string;
  /** Time source in ms since the epoch; default `Date.now`. `advanceClock` adds an offset. */
  readonly clock?: () => number;
  /** When set, state is loaded from and saved (atomically, mode 0600) to this JSON file. */
  readonly statePath?: string;
  /** Enables the HTTP control routes under `/__emulator/`; default false (they answer 404). */
  readonly control?: boolean;
  /** Reuse of a spent refresh token revokes its whole token family; default false. */
  readonly strictRefreshReuse?: boolean;
  /** Accepted distance of `oauth_timestamp` from the emulator's clock; default 300 s. */
  readonly timestampWindowSeconds?: number;
  /** Lifetime of OAuth 1.0a request tokens and verifiers; default 900 s. */
  readonly requestTokenTtlSeconds?: number;
  /** Lifetime of OAuth 2.0 authorization codes; default 30 s. */
  readonly codeTtlSeconds?: number;
  /** Lifetime of OAuth 2.0 access tokens; default 7200 s (X's two hours). */
  readonly accessTokenTtlSeconds?: number;
  /** Per-endpoint overrides of the rate-limit table. */
  readonly rateLimits?: Partial<Record<EndpointKey, Partial<RateLimitRule>>>;
  /**
   * After a bearer token is invalidated, `POST /oauth2/token` from the same app within this
   * many ms is refused as "too frequent" (X's 403 code 99). Default 0: never refused, since
   * X publishes no number and most test suites obtain a new token right after invalidating.
   */
  readonly bearerTokenMinIntervalMs?: number;
}

/**
 * Result of {@link Emulator.issueOAuth1Token}: the access token and its secret as the
 * `{ key, secret }` pair every x-oauth package takes (pass it as `token` as it is).
 */
export interface IssuedOAuth1Token {
  /** The access token (`oauth_token`). */
  readonly key: string;
  /** The access token secret (`oauth_token_secret`). */
  readonly secret: string;
}

/** Result of {@link Emulator.issueOAuth2Token}. */
export interface IssuedOAuth2Token {
  readonly accessToken: string;
  /** Present only when `offline.access` was among the scopes. */
  readonly refreshToken: string | undefined;
  readonly expiresIn: number;
  /** Space-separated scopes. */
  readonly scope: string;
}

/** Remaining budget of one rate-limit pool, as {@link Emulator.rateLimitState} reports it. */
export interface RateLimitPoolState {
  readonly pool: string;
  readonly limit: number;
  readonly remaining: number;
  /** Epoch seconds when the pool resets. */
  readonly reset: number;
}

/** A running emulator: where it listens, what it seeded, and the control surface for tests. */
export interface Emulator {
  /** Base URL, e.g. `http://127.0.0.1:40123` (`https://` with `tls`); every endpoint hangs off it. */
  readonly url: string;
  readonly port: number;
  /** With `tls`: path of the CA certificate (PEM) that clients must trust; else `undefined`. */
  readonly caCertPath: string | undefined;
  /** With `proxy`: the forward proxy's URL, e.g. `http://127.0.0.1:40124`; else `undefined`. */
  readonly proxyUrl: string | undefined;
  /** The seeded confidential app (a snapshot taken at start). */
  readonly app: EmulatorApp;
  /** The seeded app whose OAuth 2.0 client is public (`clientSecret` undefined). */
  readonly publicApp: EmulatorApp;
  /** Every app, current. */
  readonly apps: readonly EmulatorApp[];
  /** Every user, current; the seeded ones are `alice` and `bob`. */
  readonly users: readonly EmulatorUser[];
  /** Registers another app. */
  addApp(input?: AddAppInput): EmulatorApp;
  /** Registers another user. */
  addUser(input: AddUserInput): EmulatorUser;
  /** Registers one more callback URL for an app. */
  addCallbackUrl(appId: string, url: string): EmulatorApp;
  /** Moves the emulator's clock forward (or back, with a negative number). */
  advanceClock(ms: number): number;
  /** The emulator's current time in ms since the epoch. */
  now(): number;
  /**
   * Changes an app's permission level. As on X, this invalidates the app's OAuth 1.0a user
   * access tokens (users must re-authorize) and its OAuth 2.0 user tokens.
   */
  setAppPermission(appId: string, permission: AppPermission): EmulatorApp;
  /** Revokes user tokens (OAuth 1.0a and 2.0) of an app, of a user, of both or of everyone. */
  revokeUserTokens(appId?: string, userId?: string): number;
  /** Issues an OAuth 1.0a access token without the browser flow (for other packages' tests). */
  issueOAuth1Token(appId: string, userId: string, accessLevel?: AppPermission): IssuedOAuth1Token;
  /** Issues OAuth 2.0 user tokens without the browser flow (for other packages' tests). */
  issueOAuth2Token(appId: string, userId: string, scopes: readonly string[]): IssuedOAuth2Token;
  /** The requests handled so far, oldest first. */
  requestLog(): readonly RequestLogEntry[];
  clearRequestLog(): void;
  /** Injects a fault; returns its id. */
  injectFault(fault: FaultSpec): string;
  clearFaults(): void;
  /** Remaining budget of every rate-limit pool that has been used in its current window. */
  rateLimitState(): readonly RateLimitPoolState[];
  /** Turns the refresh-token theft detection on or off. */
  setStrictRefreshReuse(enabled: boolean): void;
  /** Stops listening and closes open connections. */
  close(): Promise<void>;
}
