// App-only: the app's bearer token, from a BearerTokenProvider (which obtains it with the
// app's keys, once, and forgets it when X reports it invalid) or as a plain string.
import { BearerTokenProvider, bearerAuthorization } from '@x-oauth/bearer';
import { XApiError, XApiErrorCode } from '../errors.js';
import { checkKeyAndSecret, checkString, type KeyAndSecret } from './credentials.js';
import { appTokenFailed } from './layer-errors.js';
import {
  type Authorization,
  type AuthorizeRequest,
  type AuthStrategy,
  inspectSymbol,
  type UnauthorizedEvent,
} from './strategy.js';

/**
 * Options of {@link appOnlyAuth}: one of `consumer` (the app's keys; a provider is made on
 * the client's base URL and fetch), `provider` (your own `BearerTokenProvider`, shared), or
 * `bearerToken` (a token from the developer portal).
 *
 * @see https://docs.x.com/resources/fundamentals/authentication/oauth-2-0/application-only
 */
export type AppOnlyAuthOptions =
  | { readonly consumer: KeyAndSecret; readonly appKey?: string | undefined }
  | { readonly provider: BearerTokenProvider; readonly appKey?: string | undefined }
  | { readonly bearerToken: string; readonly appKey?: string | undefined };

class AppOnlyStrategy implements AuthStrategy {
  readonly kind = 'app-only';
  readonly identity: string;
  readonly appKey: string;
  readonly #consumer: KeyAndSecret | undefined;
  readonly #bearerToken: string | undefined;
  #provider: BearerTokenProvider | undefined;

  constructor(options: AppOnlyAuthOptions) {
    if (typeof options !== 'object' || options === null) {
      throw new XApiError(
        XApiErrorCode.InvalidArgument,
        'appOnlyAuth needs { consumer }, { provider } or { bearerToken }.',
      );
    }
    if ('consumer' in options) {
      this.#consumer = checkKeyAndSecret(options.consumer, 'consumer');
    } else if ('provider' in options) {
      if (!(options.provider instanceof BearerTokenProvider)) {
        throw new XApiError(
          XApiErrorCode.InvalidArgument,
          'provider must be a BearerTokenProvider.',
        );
      }
      this.#provider = options.provider;
    } else if ('bearerToken' in options) {
      this.#bearerToken = checkString(options.bearerToken, 'bearerToken');
    } else {
      throw new XApiError(
        XApiErrorCode.InvalidArgument,
        'appOnlyAuth needs { consumer }, { provider } or { bearerToken }.',
      );
    }
    this.appKey = options.appKey ?? this.#consumer?.key ?? 'app';
    this.identity = `app:${this.appKey}`;
  }

  grantedScopes(): undefined {
    return undefined;
  }

  #providerFor(request: AuthorizeRequest): BearerTokenProvider | undefined {
    if (this.#provider === undefined && this.#consumer !== undefined) {
      const { fetch, baseUrl } = request.context;
      this.#provider = new BearerTokenProvider({
        consumer: this.#consumer,
        baseUrl: baseUrl.href,
        fetch,
      });
    }
    return this.#provider;
  }

  async authorize(request: AuthorizeRequest): Promise<Authorization> {
    const provider = this.#providerFor(request);
    if (provider === undefined) {
      const token = this.#bearerToken as string;
      return { headers: { authorization: bearerAuthorization(token) }, credential: token };
    }
    let token: string;
    try {
      token = await provider.getToken({ signal: request.context.signal });
    } catch (error) {
      throw appTokenFailed(error, 'POST /oauth2/token');
    }
    return { headers: { authorization: bearerAuthorization(token) }, credential: token };
  }

  async onUnauthorized(event: UnauthorizedEvent): Promise<'retry' | 'fail'> {
    const provider = this.#provider;
    if (provider === undefined || typeof event.authorization.credential !== 'string') return 'fail';
    // Forget the refused token (if no one has replaced it yet) and try once more: the provider
    // obtains a new one with the app's keys, or fails with X_INVALID_TOKEN without them.
    provider.forgetToken(event.authorization.credential);
    return 'retry';
  }

  toJSON(): Record<string, unknown> {
    return {
      kind: this.kind,
      identity: this.identity,
      source:
        this.#consumer !== undefined
          ? 'consumer'
          : this.#bearerToken !== undefined
            ? 'bearerToken'
            : 'provider',
    };
  }

  [inspectSymbol](): string {
    return `AppOnlyAuth ${JSON.stringify(this.toJSON())}`;
  }
}

/**
 * App-only authentication (OAuth 2.0 Bearer Token): the app acts on its own behalf, for
 * public data. X answers endpoints that need a user with `X_USER_CONTEXT_REQUIRED`. A 401
 * (error 89) makes a provider forget its token and the request is tried once more with a new
 * one.
 *
 * @example new XClient({ auth: appOnlyAuth({ consumer: { key, secret } }) })
 * @see https://docs.x.com/resources/fundamentals/authentication/oauth-2-0/application-only
 */
export function appOnlyAuth(options: AppOnlyAuthOptions): AuthStrategy {
  return new AppOnlyStrategy(options);
}
