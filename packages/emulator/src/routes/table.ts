// The emulator's route table: every X endpoint it serves, with its endpoint template.
import type { EndpointKey } from '../endpoints.js';
import type { Route } from '../http/router.js';
import type { RouteHandler } from '../runtime.js';
import { updateStatus, verifyCredentials } from './api-v1.js';
import { createTweetRoute, lookupTweets, searchRecentRoute, usersMe } from './api-v2.js';
import { invalidateToken, obtainToken } from './app-only.js';
import {
  accessToken,
  consentDecision,
  consentPage,
  invalidateAccessToken,
  requestToken,
} from './oauth1.js';
import { authorizeDecision, authorizePage, revoke, token } from './oauth2.js';

function route(endpoint: EndpointKey, handler: RouteHandler, path?: string): Route<RouteHandler> {
  const [method, pattern] = endpoint.split(' ') as [string, string];
  return { method, pattern: path ?? pattern, endpoint, handler };
}

/** The X routes (the control routes are added separately, only when enabled). */
export const X_ROUTES: readonly Route<RouteHandler>[] = [
  route('POST /oauth/request_token', requestToken),
  route('GET /oauth/authorize', consentPage),
  route('POST /oauth/authorize', consentDecision),
  route('GET /oauth/authenticate', consentPage),
  route('POST /oauth/authenticate', consentDecision),
  route('POST /oauth/access_token', accessToken),
  route('POST /1.1/oauth/invalidate_token', invalidateAccessToken),
  // X's own example calls the .json form of the same endpoint.
  route(
    'POST /1.1/oauth/invalidate_token',
    invalidateAccessToken,
    '/1.1/oauth/invalidate_token.json',
  ),
  route('POST /oauth2/token', obtainToken),
  route('POST /oauth2/invalidate_token', invalidateToken),
  route('GET /i/oauth2/authorize', authorizePage),
  route('POST /i/oauth2/authorize', authorizeDecision),
  route('POST /2/oauth2/token', token),
  route('POST /2/oauth2/revoke', revoke),
  route('GET /2/users/me', usersMe),
  route('POST /2/tweets', createTweetRoute),
  route('GET /2/tweets/search/recent', searchRecentRoute),
  route('GET /2/tweets', lookupTweets),
  route('GET /1.1/account/verify_credentials.json', verifyCredentials),
  route('POST /1.1/statuses/update.json', updateStatus),
];
