// The token pairs the OAuth 1.0a flow yields. They read as plain `{ key, secret }` (so they
// can be passed straight to signing), but `JSON.stringify`, `util.inspect` and `console.log`
// show them redacted.
import { describeRedacted, inspectSymbol, type KeyAndSecret, REDACTED } from '@x-oauth/internal';

/**
 * An OAuth 1.0a token and its secret (a `KeyAndSecret`), redacted in logs. The base of
 * {@link RequestToken} and {@link AccessToken}; not exported.
 *
 * @see https://www.rfc-editor.org/rfc/rfc5849#section-2
 */
class OAuth1Token implements KeyAndSecret {
  readonly key: string;
  readonly secret: string;

  constructor(key: string, secret: string) {
    this.key = key;
    this.secret = secret;
  }

  toJSON(): Record<string, unknown> {
    return { key: REDACTED, secret: REDACTED };
  }

  [inspectSymbol](): string {
    return describeRedacted(this.constructor.name, this.toJSON());
  }
}

/**
 * A request token (`POST oauth/request_token`): send the user to `authorizeUrl(token.key)`,
 * and keep the token (its secret signs `oauth/access_token`) sealed until the callback.
 *
 * @see https://docs.x.com/resources/fundamentals/authentication/api-reference#post-oauth-request-token
 */
export class RequestToken extends OAuth1Token {
  /** X confirmed the callback (`oauth_callback_confirmed=true`). */
  readonly callbackConfirmed: boolean;

  constructor(key: string, secret: string, callbackConfirmed: boolean) {
    super(key, secret);
    this.callbackConfirmed = callbackConfirmed;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), callbackConfirmed: this.callbackConfirmed };
  }
}

/**
 * A user's access token (`POST oauth/access_token`), with who the user is. Store `key` and
 * `secret` encrypted; they do not expire until revoked.
 *
 * @see https://docs.x.com/resources/fundamentals/authentication/api-reference#post-oauth-access-token
 */
export class AccessToken extends OAuth1Token {
  readonly userId: string;
  readonly screenName: string;

  constructor(key: string, secret: string, userId: string, screenName: string) {
    super(key, secret);
    this.userId = userId;
    this.screenName = screenName;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), userId: this.userId, screenName: this.screenName };
  }
}
