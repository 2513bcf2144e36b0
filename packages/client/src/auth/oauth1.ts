// OAuth 1.0a user context: every request signed with the app's consumer key and secret and
// the user's access token and secret (HMAC-SHA1). Query and form parameters are signed; JSON
// and multipart bodies are not (X's "Creating a signature").
import { signRequest } from '@x-oauth/oauth1-signature';
import { checkKeyAndSecret, type KeyAndSecret } from './credentials.js';
import {
  type Authorization,
  type AuthorizeRequest,
  type AuthStrategy,
  inspectSymbol,
  instanceId,
} from './strategy.js';

/**
 * Options of {@link oauth1Auth}.
 *
 * @see https://docs.x.com/resources/fundamentals/authentication/oauth-1-0a/authorizing-a-request
 */
export interface OAuth1AuthOptions {
  /** The app's API Key and Secret. */
  readonly consumer: KeyAndSecret;
  /** The user's access token and secret (from `getAccessToken`, or the developer portal). */
  readonly token: KeyAndSecret;
  /**
   * The user's X id, for the rate-limit pool. By default read from the token, which X
   * issues as `<user id>-<random>`.
   */
  readonly userId?: string | undefined;
}

class OAuth1Strategy implements AuthStrategy {
  readonly kind = 'oauth1';
  readonly identity: string;
  readonly appKey: string;
  readonly #consumer: KeyAndSecret;
  readonly #token: KeyAndSecret;

  constructor(options: OAuth1AuthOptions) {
    this.#consumer = checkKeyAndSecret(options?.consumer, 'consumer');
    this.#token = checkKeyAndSecret(options?.token, 'token');
    this.appKey = this.#consumer.key;
    const fromToken = /^(\d+)-/.exec(this.#token.key)?.[1];
    this.identity = `user:${this.appKey}:${options.userId ?? fromToken ?? instanceId()}`;
  }

  grantedScopes(): undefined {
    return undefined;
  }

  async authorize(request: AuthorizeRequest): Promise<Authorization> {
    const signed = await signRequest({
      method: request.method,
      url: request.url,
      consumer: this.#consumer,
      token: this.#token,
      form: request.form,
      timestamp: Math.floor(request.context.now() / 1000),
    });
    return { headers: { authorization: signed.authorization }, credential: undefined };
  }

  async onUnauthorized(): Promise<'fail'> {
    // A signature is not a token that can be renewed; error 135 (clock) is the client's job.
    return 'fail';
  }

  toJSON(): Record<string, unknown> {
    return { kind: this.kind, identity: this.identity };
  }

  [inspectSymbol](): string {
    return `OAuth1Auth ${JSON.stringify(this.toJSON())}`;
  }
}

/**
 * OAuth 1.0a user context: the app's keys and the user's access token. The strategy hides
 * its secrets from `util.inspect` and `JSON.stringify`.
 *
 * @example new XClient({ auth: oauth1Auth({ consumer: { key, secret }, token: { key, secret } }) })
 * @throws {XApiError} `X_INVALID_ARGUMENT` when a key or secret is missing.
 * @see https://docs.x.com/resources/fundamentals/authentication/oauth-1-0a/authorizing-a-request
 */
export function oauth1Auth(options: OAuth1AuthOptions): AuthStrategy {
  return new OAuth1Strategy(options);
}
