// OAuth 2.0 user context: `Authorization: Bearer <user access token>`. The token set is
// refreshed before it expires and once after a 401, never in a loop. X rotates refresh tokens
// (the old one dies with the refresh), so refreshes are single-flight and the new set is
// handed to `onRefresh` to be stored, or the whole refresh is left to @x-oauth/token-store,
// which serializes it across processes (after a 401 too, with `rejectedAccessToken`).
import {
  canRefresh,
  endpointsFromBaseUrl,
  isExpired,
  type OAuth2Client,
  type OAuth2Endpoints,
  refreshToken,
  TokenSet,
} from '@x-oauth/pkce';
import { XApiError, XApiErrorCode } from '../errors.js';
import { checkString } from './credentials.js';
import { refreshFailed } from './layer-errors.js';
import {
  type AuthContext,
  type Authorization,
  type AuthorizeRequest,
  type AuthStrategy,
  type FetchLike,
  inspectSymbol,
  instanceId,
  type UnauthorizedEvent,
} from './strategy.js';

/**
 * The part of `@x-oauth/token-store`'s `TokenWriter` this strategy uses (`store.writer`):
 * `getFreshTokenSet`, with `rejectedAccessToken` to force the refresh after a 401.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-6
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-3.1
 */
export interface TokenSetWriter {
  getFreshTokenSet(
    appId: string,
    userId: string,
    refresh: (current: TokenSet, signal: AbortSignal) => Promise<TokenSet>,
    options?: { rejectedAccessToken?: string | undefined },
  ): Promise<TokenSet>;
}

interface CommonOptions {
  /** The app's OAuth 2.0 client (id, and secret for a confidential client), to refresh. */
  readonly client?: OAuth2Client | undefined;
  /** Token endpoint override; by default the client's base URL with X's path. */
  readonly endpoints?: Partial<OAuth2Endpoints> | undefined;
  /** Refresh this long before expiry. Default 60 s. */
  readonly refreshSkewMs?: number | undefined;
}

/**
 * Options of {@link oauth2Auth}: a token set held in memory (with `onRefresh` to store each
 * new one), or a token-store writer that keeps and refreshes it safely across processes.
 *
 * @see https://docs.x.com/fundamentals/authentication/oauth-2-0/authorization-code
 */
export type OAuth2AuthOptions =
  | (CommonOptions & {
      readonly tokenSet: TokenSet;
      /** Called with every new set; store it (the old refresh token is dead). Awaited. */
      readonly onRefresh?: ((tokenSet: TokenSet) => void | Promise<void>) | undefined;
      /** The user's X id, for the rate-limit pool; a per-instance id otherwise. */
      readonly userId?: string | undefined;
    })
  | (CommonOptions & {
      /** `store.writer` of `@x-oauth/token-store`. */
      readonly store: TokenSetWriter;
      /** The owner of the stored set. */
      readonly appId: string;
      readonly userId: string;
    });

// Thrown by the refresh callback when the stored set has no refresh token (no
// offline.access): the store reports it as its cause, and a 401 then simply fails.
class NothingToRefresh extends Error {
  constructor() {
    super('The stored OAuth 2.0 token set has no refresh token (no offline.access scope).');
    this.name = 'NothingToRefresh';
  }
}

function causedByNothingToRefresh(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth++) {
    if (current instanceof NothingToRefresh) return true;
    current = 'cause' in current ? current.cause : undefined;
  }
  return false;
}

function toFetch(fetchLike: FetchLike): typeof fetch {
  return (input, init) =>
    fetchLike(input instanceof Request ? input.url : String(input), init ?? {});
}

abstract class OAuth2StrategyBase implements AuthStrategy {
  readonly kind = 'oauth2';
  abstract readonly identity: string;
  abstract readonly appKey: string;
  // Private (#), so the client secret never shows in util.inspect, JSON or a stray log.
  readonly #client: OAuth2Client | undefined;
  readonly #endpoints: Partial<OAuth2Endpoints> | undefined;
  protected readonly skewMs: number;

  constructor(options: CommonOptions) {
    if (options.client !== undefined) checkString(options.client.clientId, 'client.clientId');
    this.#client = options.client;
    this.#endpoints = options.endpoints;
    this.skewMs = options.refreshSkewMs ?? 60_000;
  }

  /** Whether a client was given, so refreshing is possible at all. */
  protected get hasClient(): boolean {
    return this.#client !== undefined;
  }

  abstract grantedScopes(): readonly string[] | undefined;
  abstract authorize(request: AuthorizeRequest): Promise<Authorization>;
  abstract onUnauthorized(event: UnauthorizedEvent): Promise<'retry' | 'fail'>;

  protected refresh(
    current: TokenSet,
    context: AuthContext,
    signal?: AbortSignal,
  ): Promise<TokenSet> {
    const client = this.#client;
    if (client === undefined) {
      return Promise.reject(
        new XApiError(
          XApiErrorCode.InvalidArgument,
          'Refreshing an OAuth 2.0 token set needs `client` ({ clientId, clientSecret? }) in oauth2Auth.',
        ),
      );
    }
    return refreshToken({
      client,
      tokenSet: current,
      endpoints: { ...endpointsFromBaseUrl(context.baseUrl), ...this.#endpoints },
      fetch: toFetch(context.fetch),
      signal,
    });
  }

  toJSON(): Record<string, unknown> {
    return { kind: this.kind, identity: this.identity, scopes: this.grantedScopes() };
  }

  [inspectSymbol](): string {
    return `OAuth2Auth ${JSON.stringify(this.toJSON())}`;
  }
}

class MemoryOAuth2Strategy extends OAuth2StrategyBase {
  readonly identity: string;
  readonly appKey: string;
  #tokenSet: TokenSet;
  readonly #onRefresh: ((tokenSet: TokenSet) => void | Promise<void>) | undefined;
  #flight: Promise<TokenSet> | undefined;

  constructor(options: Extract<OAuth2AuthOptions, { tokenSet: TokenSet }>) {
    super(options);
    if (!(options.tokenSet instanceof TokenSet)) {
      throw new XApiError(
        XApiErrorCode.InvalidArgument,
        'tokenSet must be a TokenSet (from exchangeCode, refreshToken or tokenSetFromStorable).',
      );
    }
    this.#tokenSet = options.tokenSet;
    this.#onRefresh = options.onRefresh;
    this.appKey = options.client?.clientId ?? 'oauth2';
    this.identity = `user:${this.appKey}:${options.userId ?? instanceId()}`;
  }

  grantedScopes(): readonly string[] {
    return this.#tokenSet.scopes;
  }

  #canRefresh(): boolean {
    return this.hasClient && canRefresh(this.#tokenSet);
  }

  // One refresh at a time: X rotates the refresh token, so a second concurrent refresh with
  // the same one would fail (and with theft detection on, revoke the whole login).
  #refreshOnce(context: AuthContext): Promise<TokenSet> {
    if (this.#flight === undefined) {
      const current = this.#tokenSet;
      const flight = this.refresh(current, context).then(async (next) => {
        this.#tokenSet = next;
        await this.#onRefresh?.(next);
        return next;
      });
      this.#flight = flight;
      const settle = (): void => {
        if (this.#flight === flight) this.#flight = undefined;
      };
      flight.then(settle, settle);
    }
    return this.#flight.catch((error: unknown) => {
      throw refreshFailed(error, 'POST /2/oauth2/token');
    });
  }

  async authorize(request: AuthorizeRequest): Promise<Authorization> {
    let set = this.#tokenSet;
    if (this.#flight !== undefined) set = await this.#refreshOnce(request.context);
    else if (this.#canRefresh() && isExpired(set, this.skewMs)) {
      set = await this.#refreshOnce(request.context);
    }
    return { headers: { authorization: `Bearer ${set.accessToken}` }, credential: set.accessToken };
  }

  async onUnauthorized(event: UnauthorizedEvent): Promise<'retry' | 'fail'> {
    // Someone refreshed while this request was in flight: the new token deserves its try.
    if (event.authorization.credential !== this.#tokenSet.accessToken) return 'retry';
    if (!this.#canRefresh()) return 'fail';
    await this.#refreshOnce(event.context);
    return 'retry';
  }
}

class StoredOAuth2Strategy extends OAuth2StrategyBase {
  readonly identity: string;
  readonly appKey: string;
  readonly #store: TokenSetWriter;
  readonly #appId: string;
  readonly #userId: string;
  #scopes: readonly string[] | undefined;

  constructor(options: Extract<OAuth2AuthOptions, { store: TokenSetWriter }>) {
    super(options);
    const store = options.store;
    if (typeof store?.getFreshTokenSet !== 'function') {
      throw new XApiError(
        XApiErrorCode.InvalidArgument,
        'store must be the writer of @x-oauth/token-store (store.writer).',
      );
    }
    this.#store = store;
    this.#appId = checkString(options.appId, 'appId');
    this.#userId = checkString(options.userId, 'userId');
    this.appKey = options.client?.clientId ?? this.#appId;
    this.identity = `user:${this.appKey}:${this.#userId}`;
  }

  grantedScopes(): readonly string[] | undefined {
    return this.#scopes;
  }

  async authorize(request: AuthorizeRequest): Promise<Authorization> {
    let set: TokenSet;
    try {
      set = await this.#store.getFreshTokenSet(this.#appId, this.#userId, (current, signal) =>
        this.refresh(current, request.context, signal),
      );
    } catch (error) {
      throw refreshFailed(error, 'POST /2/oauth2/token');
    }
    this.#scopes = set.scopes;
    return { headers: { authorization: `Bearer ${set.accessToken}` }, credential: set.accessToken };
  }

  async onUnauthorized(event: UnauthorizedEvent): Promise<'retry' | 'fail'> {
    const refused = event.authorization.credential;
    if (!this.hasClient || typeof refused !== 'string') return 'fail';
    // X refused this token although the store thought it valid (revoked, or X's clock past
    // its expiry). The store refreshes it under its lock unless the stored set holds another
    // token already (a sibling refreshed): one token request across every caller and process
    // that was refused the same token, and no write outside the lock that could race a
    // running refresh and lose its rotated refresh token.
    let set: TokenSet;
    try {
      set = await this.#store.getFreshTokenSet(
        this.#appId,
        this.#userId,
        (current, signal) => {
          if (!canRefresh(current)) return Promise.reject(new NothingToRefresh());
          return this.refresh(current, event.context, signal);
        },
        { rejectedAccessToken: refused },
      );
    } catch (error) {
      if (causedByNothingToRefresh(error)) return 'fail';
      throw refreshFailed(error, 'POST /2/oauth2/token');
    }
    this.#scopes = set.scopes;
    // The retry authorizes again and reads the stored set; a store that handed back the
    // refused token has nothing better, and the 401 stands.
    return set.accessToken === refused ? 'fail' : 'retry';
  }
}

/**
 * OAuth 2.0 user context (Authorization Code Flow with PKCE tokens). Give it the token set and
 * `client` (to refresh) plus `onRefresh` to store each new set; or `store` (a
 * `@x-oauth/token-store` writer) with `appId` and `userId`, which refreshes safely across
 * processes. A 401 triggers one refresh and one retry, never a loop. Scopes the set lacks for
 * a known endpoint fail with `X_INSUFFICIENT_SCOPE` before anything is sent.
 *
 * @example new XClient({ auth: oauth2Auth({ tokenSet, client: { clientId }, onRefresh: save }) })
 * @see https://docs.x.com/fundamentals/authentication/oauth-2-0/authorization-code
 */
export function oauth2Auth(options: OAuth2AuthOptions): AuthStrategy {
  if (typeof options !== 'object' || options === null) {
    throw new XApiError(
      XApiErrorCode.InvalidArgument,
      'oauth2Auth needs { tokenSet } or { store, appId, userId }.',
    );
  }
  if ('store' in options) return new StoredOAuth2Strategy(options);
  return new MemoryOAuth2Strategy(options);
}
