// A cache of the app's one bearer token. X issues one token per app and returns the same one
// until it is invalidated, and rejects token requests made "too frequently" (403, code 99), so
// the provider asks once, shares that one request between concurrent callers, and asks again
// only when the token is forgotten (invalidated, or reported invalid by the API).
import {
  describeRedacted,
  type FetchLike,
  inspectSymbol,
  type KeyAndSecret,
} from '@x-oauth/internal';
import { checkAppOnlyResponse } from './app-only-response.js';
import { bearerAuthorization } from './bearer-authorization.js';
import { checkCredentials, checkToken } from './credentials.js';
import { describeUrl, endpointUrl, TOKEN_PATH } from './endpoints.js';
import { BearerError, BearerErrorCode, isBearerError } from './errors.js';
import { checkFetch } from './http.js';
import { type InvalidationAuthentication, invalidateBearerToken } from './invalidate-token.js';
import { obtainBearerToken } from './token-request.js';
import type { CallOptions, TransportOptions } from './types.js';

/**
 * Options of {@link BearerTokenProvider}: the app's keys (`consumer`), a token generated in
 * the developer portal (`token`), or both (the token is used first; the keys obtain a new one
 * once X reports it invalid).
 *
 * @see https://docs.x.com/resources/fundamentals/authentication/oauth-2-0/application-only
 */
export interface BearerTokenProviderOptions extends TransportOptions {
  /** The app's API Key and API Key Secret, to obtain (and invalidate) the token. */
  readonly consumer?: KeyAndSecret | undefined;
  /** A bearer token generated in the developer portal (Keys and tokens), used as it is. */
  readonly token?: string | undefined;
  /** Default `ownerToken` of {@link BearerTokenProvider.invalidate}: the app owner's access token. */
  readonly ownerToken?: KeyAndSecret | undefined;
}

/**
 * Options of {@link BearerTokenProvider.invalidate}.
 *
 * @see https://docs.x.com/resources/fundamentals/authentication/api-reference#post-oauth2-invalidate-token
 */
export interface InvalidateOptions extends CallOptions {
  /** The app owner's access token: signs the invalidation with OAuth 1.0a (else HTTP Basic). */
  readonly ownerToken?: KeyAndSecret | undefined;
  /** Forces `oauth1` or `basic`; see `invalidateBearerToken`. */
  readonly authentication?: InvalidationAuthentication | undefined;
}

/** One token request shared by every caller waiting for it. */
interface Flight {
  readonly promise: Promise<string>;
  readonly controller: AbortController;
  waiters: number;
}

/**
 * Caches the app's bearer token and hands it to any number of concurrent callers.
 *
 * - Fetches it once, even when many callers ask at the same moment; a failed request is not
 *   cached, so the next call tries again. One caller's aborted `signal` rejects only that
 *   caller; the shared request is cancelled only when every caller has gone.
 * - {@link BearerTokenProvider.forgetToken} drops the token when the API reports it invalid
 *   (401, error 89), but only if it is still the current one, so a late report cannot discard
 *   a newer token. A portal token without keys then fails with `BEARER_INVALID_TOKEN` instead
 *   of being silently replaced.
 * - `util.inspect`, `console.log` and `JSON.stringify` never show the keys or the token.
 *
 * @example
 * const provider = new BearerTokenProvider({ consumer: { key, secret } });
 * const response = await fetch(url, { headers: { authorization: await provider.getAuthorization() } });
 * @see https://docs.x.com/resources/fundamentals/authentication/oauth-2-0/application-only
 */
export class BearerTokenProvider {
  readonly #consumer: KeyAndSecret | undefined;
  readonly #ownerToken: KeyAndSecret | undefined;
  readonly #fetch: FetchLike | undefined;
  readonly #baseUrl: string | URL | undefined;
  readonly #source: 'consumer' | 'token' | 'token+consumer';
  #token: string | undefined;
  #flight: Flight | undefined;
  // Set once X accepted these keys; a later error 99 then means "too frequent", not "wrong keys".
  #keysAccepted = false;

  /**
   * @throws {BearerError} `BEARER_INVALID_ARGUMENT` for missing or malformed options,
   * `BEARER_INSECURE_ENDPOINT` for an `http:` base URL on a remote host.
   */
  constructor(options: BearerTokenProviderOptions) {
    if (
      typeof options !== 'object' ||
      options === null ||
      (options.consumer === undefined && options.token === undefined)
    ) {
      throw new BearerError(
        BearerErrorCode.InvalidArgument,
        'BearerTokenProvider needs `consumer` (the API Key and Secret), `token` (a bearer token from the developer portal), or both.',
      );
    }
    const hasConsumer = options.consumer !== undefined;
    const hasToken = options.token !== undefined;
    this.#consumer = hasConsumer ? checkCredentials(options.consumer, 'consumer') : undefined;
    this.#token = hasToken ? checkToken(options.token, 'token') : undefined;
    this.#ownerToken =
      options.ownerToken === undefined
        ? undefined
        : checkCredentials(options.ownerToken, 'ownerToken');
    // Refuse a bad or insecure base URL now rather than on the first request.
    endpointUrl(options.baseUrl, TOKEN_PATH);
    this.#fetch = checkFetch(options.fetch);
    // A copy, so a URL object changed by the caller later cannot redirect the credentials.
    this.#baseUrl = options.baseUrl instanceof URL ? options.baseUrl.href : options.baseUrl;
    this.#source = hasConsumer ? (hasToken ? 'token+consumer' : 'consumer') : 'token';
  }

  /**
   * Whether a token is cached (a `getToken` call would not go to X).
   *
   * @see https://docs.x.com/resources/fundamentals/authentication/oauth-2-0/application-only
   */
  get hasToken(): boolean {
    return this.#token !== undefined;
  }

  /**
   * The app's bearer token: the cached one, or one obtained from X with the keys. Concurrent
   * calls share one request.
   *
   * @throws {BearerError} from `obtainBearerToken`; `BEARER_INVALID_TOKEN` when a portal token
   * was reported invalid and there are no keys to obtain another. Rejects with the signal's
   * reason when `signal` aborts.
   * @see https://docs.x.com/resources/fundamentals/authentication/api-reference#post-oauth2-token
   */
  async getToken(options: CallOptions = {}): Promise<string> {
    const { signal } = options;
    signal?.throwIfAborted();
    if (this.#token !== undefined) return this.#token;
    if (this.#consumer === undefined) {
      throw new BearerError(
        BearerErrorCode.InvalidToken,
        'X reported the bearer token given to BearerTokenProvider as invalid or revoked. Generate a new one in the developer portal (Keys and tokens), or give the provider the API Key and Secret (`consumer`) so it can obtain one.',
      );
    }
    const flight = this.#flight ?? this.#startFlight(this.#consumer);
    return this.#wait(flight, signal);
  }

  /**
   * The `Authorization` header value, `Bearer <token>`, for the token {@link getToken} gives.
   *
   * @see https://www.rfc-editor.org/rfc/rfc6750#section-2.1
   */
  async getAuthorization(options: CallOptions = {}): Promise<string> {
    return bearerAuthorization(await this.getToken(options));
  }

  /**
   * Drops `token` from the cache if it is still the current one; returns whether it did. Call
   * it when the API answers 401 (error 89) to a request made with `token`. The next
   * `getToken` obtains a new token with the keys; without keys it fails with
   * `BEARER_INVALID_TOKEN`.
   *
   * @see https://docs.x.com/resources/fundamentals/authentication/oauth-2-0/application-only
   */
  forgetToken(token: string): boolean {
    if (this.#token === undefined || token !== this.#token) return false;
    this.#drop();
    return true;
  }

  /**
   * `checkAppOnlyResponse` for a response to a request made with `token`, which also forgets
   * the token when X reports it invalid.
   *
   * @throws {BearerError} `BEARER_INVALID_TOKEN` or `BEARER_USER_CONTEXT_REQUIRED`.
   * @see https://docs.x.com/resources/fundamentals/authentication/oauth-2-0/application-only
   */
  async checkResponse(response: Response, token: string): Promise<Response> {
    try {
      return await checkAppOnlyResponse(response);
    } catch (error) {
      if (isBearerError(error, BearerErrorCode.InvalidToken)) this.forgetToken(token);
      throw error;
    }
  }

  /**
   * Invalidates the app's token at X and forgets it. Signed with OAuth 1.0a when an owner
   * token is given (here or to the constructor), HTTP Basic otherwise. Without a cached token
   * the current one is obtained first (X returns the app's one live token), then invalidated.
   *
   * @throws {BearerError} `BEARER_INVALID_ARGUMENT` without `consumer` (both ways need the
   * keys); otherwise see `invalidateBearerToken`. On failure the token stays cached.
   * @see https://docs.x.com/resources/fundamentals/authentication/api-reference#post-oauth2-invalidate-token
   */
  async invalidate(options: InvalidateOptions = {}): Promise<void> {
    const consumer = this.#consumer;
    if (consumer === undefined) {
      throw new BearerError(
        BearerErrorCode.InvalidArgument,
        "Invalidating a token needs the app's API Key and Secret: create the provider with `consumer`, or revoke the token in the developer portal.",
      );
    }
    const token = await this.getToken({ signal: options.signal });
    await invalidateBearerToken({
      consumer,
      token,
      ownerToken: options.ownerToken ?? this.#ownerToken,
      authentication: options.authentication,
      fetch: this.#fetch,
      baseUrl: this.#baseUrl,
      signal: options.signal,
    });
    if (this.#token === token) this.#drop();
  }

  /**
   * A loggable description: where tokens come from and whether one is cached, nothing secret.
   *
   * @see https://developer.mozilla.org/en-US/docs/Web/JavaScript/Reference/Global_Objects/JSON/stringify#tojson_behavior
   */
  toJSON(): Record<string, unknown> {
    return {
      source: this.#source,
      baseUrl: describeUrl(endpointUrl(this.#baseUrl, '')),
      hasToken: this.#token !== undefined,
      fetching: this.#flight !== undefined,
    };
  }

  [inspectSymbol](): string {
    return describeRedacted('BearerTokenProvider', this.toJSON());
  }

  #drop(): void {
    this.#token = undefined;
  }

  #startFlight(consumer: KeyAndSecret): Flight {
    const controller = new AbortController();
    const promise = obtainBearerToken({
      consumer,
      fetch: this.#fetch,
      baseUrl: this.#baseUrl,
      signal: controller.signal,
    }).then(
      (token) => {
        this.#keysAccepted = true;
        this.#token = token;
        return token;
      },
      (error: unknown) => {
        throw this.#explain(error);
      },
    );
    const flight: Flight = { promise, controller, waiters: 0 };
    this.#flight = flight;
    const settle = (): void => {
      if (this.#flight === flight) this.#flight = undefined;
    };
    // Handled here so a flight every caller abandoned cannot raise an unhandled rejection.
    promise.then(settle, settle);
    return flight;
  }

  #wait(flight: Flight, signal: AbortSignal | undefined): Promise<string> {
    flight.waiters += 1;
    if (signal === undefined) return flight.promise;
    return new Promise<string>((resolve, reject) => {
      const onAbort = (): void => {
        flight.waiters -= 1;
        // The last caller left: nobody wants this answer, so stop asking X for it.
        if (flight.waiters === 0) {
          if (this.#flight === flight) this.#flight = undefined;
          flight.controller.abort();
        }
        reject(signal.reason);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      flight.promise.then(
        (token) => {
          signal.removeEventListener('abort', onAbort);
          resolve(token);
        },
        (error: unknown) => {
          signal.removeEventListener('abort', onAbort);
          reject(error);
        },
      );
    });
  }

  // X answers error 99 both to wrong keys and to token requests made too often; once these
  // keys have worked, "too often" is the likely reading (regenerated keys are the other).
  #explain(error: unknown): unknown {
    if (
      this.#keysAccepted &&
      isBearerError(error, BearerErrorCode.InvalidClientCredentials) &&
      error.xCode === 99
    ) {
      return new BearerError(
        BearerErrorCode.TooManyRequests,
        'X refused a new bearer token (403, error 99) although these keys obtained one before: X rejects token requests made too often, for example right after an invalidation. Wait a few minutes and retry; if it persists, the keys may have been regenerated in the developer portal.',
        { status: error.status, xCode: error.xCode },
      );
    }
    return error;
  }
}
