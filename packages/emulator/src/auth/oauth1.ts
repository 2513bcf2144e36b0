// OAuth 1.0a request authentication over @x-oauth/oauth1-signature's verifyRequest, and the
// mapping of its failure reasons to X's v1.1 errors (32, 89, 135).
import { type VerifyFailureReason, verifyRequest } from '@x-oauth/oauth1-signature';
import type { EmulatorRequest } from '../http/request.js';
import type { EmulatorResponse } from '../http/response.js';
import type { EmulatorRuntime } from '../runtime.js';
import {
  type AppRecord,
  findAppByConsumerKey,
  type OAuth1AccessTokenRecord,
  type RequestTokenRecord,
} from '../state.js';
import { liveOAuth1AccessToken, liveRequestToken } from '../tokens/oauth1.js';
import { V1_ERRORS, v1ErrorResponse } from '../x-errors.js';

/** Which token the request must be signed with. */
export type OAuth1TokenKind = 'none' | 'request' | 'access';

/** A verified OAuth 1.0a request. */
export interface OAuth1Authenticated {
  readonly ok: true;
  readonly app: AppRecord;
  /** The `oauth_*` parameters of the header. */
  readonly params: Readonly<Record<string, string>>;
  readonly requestToken: RequestTokenRecord | undefined;
  readonly accessToken: OAuth1AccessTokenRecord | undefined;
}

/** A refused OAuth 1.0a request. */
export interface OAuth1Refused {
  readonly ok: false;
  readonly reason: VerifyFailureReason;
}

/**
 * Verifies the signature, timestamp window and nonce of a request signed with the app's
 * consumer credentials and, per `kind`, a request token or an access token. Query and form
 * body parameters are part of the signature; JSON bodies are not (RFC 5849 §3.4.1.3).
 */
export async function authenticateOAuth1(
  request: EmulatorRequest,
  runtime: EmulatorRuntime,
  kind: OAuth1TokenKind,
): Promise<OAuth1Authenticated | OAuth1Refused> {
  const { state, clock } = runtime;
  const authorization = request.headers.authorization;
  const result = await verifyRequest({
    method: request.method,
    url: request.url,
    authorization,
    form: request.form === undefined ? undefined : request.rawBody,
    consumerSecret: (key) => findAppByConsumerKey(state, key)?.consumerSecret,
    tokenSecret: (token, { consumerKey }) => {
      const app = findAppByConsumerKey(state, consumerKey);
      if (app === undefined) return undefined;
      if (kind === 'request') {
        const record = liveRequestToken(state, token, clock.now(), 'authorized');
        return record?.appId === app.id ? record.secret : undefined;
      }
      if (kind === 'access') return liveOAuth1AccessToken(state, token, app.id)?.secret;
      return undefined;
    },
    nonceCache: runtime.nonceCache,
    timestampWindowSeconds: runtime.options.timestampWindowSeconds,
    now: clock.now,
  });
  if (!result.ok) return { ok: false, reason: result.reason };
  const app = findAppByConsumerKey(state, result.consumerKey);
  if (app === undefined) return { ok: false, reason: 'unknown_consumer' };
  if (kind !== 'none' && result.token === undefined) return { ok: false, reason: 'unknown_token' };
  const requestToken =
    kind === 'request' && result.token !== undefined
      ? liveRequestToken(state, result.token, clock.now(), 'authorized')
      : undefined;
  const accessToken =
    kind === 'access' && result.token !== undefined
      ? liveOAuth1AccessToken(state, result.token, app.id)
      : undefined;
  return { ok: true, app, params: result.params, requestToken, accessToken };
}

/** X's v1.1 error for a refused OAuth 1.0a request. */
export function oauth1FailureResponse(reason: VerifyFailureReason): EmulatorResponse {
  if (reason === 'stale_timestamp') return v1ErrorResponse(V1_ERRORS.timestampOutOfBounds);
  if (reason === 'unknown_token') return v1ErrorResponse(V1_ERRORS.invalidOrExpiredToken);
  return v1ErrorResponse(V1_ERRORS.couldNotAuthenticate);
}
