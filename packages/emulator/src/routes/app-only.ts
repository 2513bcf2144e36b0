// App-only auth: POST oauth2/token (client credentials with the consumer key and secret) and
// POST oauth2/invalidate_token, with X's v1.1-style error bodies (codes 99, 170, 348).
import { constantTimeEqual } from '@x-oauth/internal';
import { authenticateOAuth1, oauth1FailureResponse } from '../auth/oauth1.js';
import { parseBasicAuthorization } from '../http/basic-auth.js';
import { type EmulatorRequest, formOrQuery } from '../http/request.js';
import { type EmulatorResponse, jsonResponse } from '../http/response.js';
import type { RouteContext } from '../runtime.js';
import { type AppRecord, type EmulatorState, findAppByConsumerKey } from '../state.js';
import { findBearerToken, obtainBearerToken } from '../tokens/bearer.js';
import { V1_ERRORS, v1ErrorResponse, v1MissingParameter } from '../x-errors.js';

function appFromBasic(state: EmulatorState, header: string | undefined): AppRecord | undefined {
  const credentials = parseBasicAuthorization(header);
  if (credentials === undefined) return undefined;
  const app = findAppByConsumerKey(state, credentials.username);
  if (app === undefined || !constantTimeEqual(credentials.password, app.consumerSecret)) {
    return undefined;
  }
  return app;
}

/**
 * `POST /oauth2/token`: HTTP Basic with the consumer key and secret, form body
 * `grant_type=client_credentials`; answers the app's one bearer token.
 */
export function obtainToken(request: EmulatorRequest, context: RouteContext): EmulatorResponse {
  const { runtime } = context;
  if (request.headers.authorization !== undefined) context.meta.auth = 'basic';
  const app = appFromBasic(runtime.state, request.headers.authorization);
  if (app === undefined) return v1ErrorResponse(V1_ERRORS.unableToVerifyCredentials);
  const limited = context.limit({ kind: 'app', appId: app.id });
  if (limited !== undefined) return limited;
  // Only a form body counts, as X documents: a JSON body or a query parameter is "missing".
  const grantType = request.form?.get('grant_type');
  if (grantType === undefined || grantType === null || grantType === '') {
    return v1MissingParameter('grant_type');
  }
  if (grantType !== 'client_credentials')
    return v1ErrorResponse(V1_ERRORS.unableToVerifyCredentials);
  const interval = runtime.options.bearerTokenMinIntervalMs;
  const invalidatedAt = runtime.state.bearerInvalidatedAt.get(app.id);
  if (
    interval > 0 &&
    invalidatedAt !== undefined &&
    runtime.clock.now() - invalidatedAt < interval
  ) {
    // X: "Obtain an App only Access Token (Bearer Token) too frequently in a short period".
    return v1ErrorResponse(V1_ERRORS.unableToVerifyCredentials);
  }
  const record = obtainBearerToken(runtime.state, app.id, runtime.random);
  return jsonResponse(200, { token_type: 'bearer', access_token: record.token });
}

/**
 * `POST /oauth2/invalidate_token` with `access_token=…`: revokes the app's bearer token.
 * Authenticated as X documents it now (OAuth 1.0a with the app's keys and its owner's access
 * token) or as it documented it before (HTTP Basic with the consumer key and secret).
 */
export async function invalidateToken(
  request: EmulatorRequest,
  context: RouteContext,
): Promise<EmulatorResponse> {
  const { runtime } = context;
  const header = request.headers.authorization ?? '';
  let app: AppRecord | undefined;
  if (/^OAuth\s/i.test(header)) {
    context.meta.auth = 'oauth1';
    const auth = await authenticateOAuth1(request, runtime, 'access');
    if (!auth.ok) return oauth1FailureResponse(auth.reason);
    if (auth.accessToken?.userId !== auth.app.ownerId) {
      return v1ErrorResponse(V1_ERRORS.notPermittedToInvalidate);
    }
    app = auth.app;
  } else {
    if (header !== '') context.meta.auth = 'basic';
    app = appFromBasic(runtime.state, header);
    if (app === undefined) return v1ErrorResponse(V1_ERRORS.unableToVerifyCredentials);
  }
  const limited = context.limit({ kind: 'app', appId: app.id });
  if (limited !== undefined) return limited;
  const value = formOrQuery(request, 'access_token');
  if (value === undefined || value === '') return v1MissingParameter('access_token');
  const record = findBearerToken(runtime.state, value);
  if (record === undefined || record.revoked || record.appId !== app.id) {
    return v1ErrorResponse(V1_ERRORS.notPermittedToInvalidate);
  }
  record.revoked = true;
  runtime.state.bearerInvalidatedAt.set(app.id, runtime.clock.now());
  return jsonResponse(200, { access_token: record.token });
}
