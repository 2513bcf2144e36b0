// OAuth 1.0a endpoints: request_token, the consent pages (authorize / authenticate),
// access_token and 1.1/oauth/invalidate_token, as in X's "3-legged OAuth flow" and PIN flow.
import { parseAuthorizationHeader } from '@x-oauth/oauth1-signature';
import { authenticateOAuth1, oauth1FailureResponse } from '../auth/oauth1.js';
import { readCookie, SESSION_COOKIE, sessionCookie } from '../http/cookies.js';
import { type EmulatorRequest, formOrQuery } from '../http/request.js';
import {
  type EmulatorResponse,
  formResponse,
  htmlResponse,
  jsonResponse,
  redirectResponse,
} from '../http/response.js';
import { appendQuery } from '../http/url.js';
import { renderMessagePage } from '../pages/message.js';
import { renderOAuth1Consent } from '../pages/oauth1-consent.js';
import { renderPinPage } from '../pages/pin.js';
import type { RouteContext } from '../runtime.js';
import { findUserByScreenName, type RequestedAccess, type RequestTokenRecord } from '../state.js';
import { grantedAccessLevel } from '../tokens/access-level.js';
import {
  authorizeRequestToken,
  denyRequestToken,
  issueOAuth1AccessToken,
  issueRequestToken,
  liveRequestToken,
  redeemRequestToken,
} from '../tokens/oauth1.js';
import { invalidVerifierResponse, V1_ERRORS, v1ErrorResponse } from '../x-errors.js';

function markOAuth1(request: EmulatorRequest, context: RouteContext): void {
  if (/^OAuth\s/i.test(request.headers.authorization ?? '')) context.meta.auth = 'oauth1';
}

function requestedAccess(value: string | undefined): RequestedAccess {
  return value === 'read' || value === 'write' ? value : undefined;
}

/** `POST /oauth/request_token`: consumer-signed; `oauth_callback` is `oob` or registered. */
export async function requestToken(
  request: EmulatorRequest,
  context: RouteContext,
): Promise<EmulatorResponse> {
  markOAuth1(request, context);
  const { runtime } = context;
  const auth = await authenticateOAuth1(request, runtime, 'none');
  if (!auth.ok) return oauth1FailureResponse(auth.reason);
  const limited = context.limit({ kind: 'app', appId: auth.app.id });
  if (limited !== undefined) return limited;
  // X reads oauth_callback from the signed header, and also from the query string.
  const callback = auth.params.oauth_callback ?? formOrQuery(request, 'oauth_callback');
  if (callback === undefined || callback === '') {
    return v1ErrorResponse(V1_ERRORS.badAuthenticationData);
  }
  if (callback !== 'oob' && !auth.app.callbackUrls.includes(callback)) {
    return v1ErrorResponse(V1_ERRORS.callbackNotApproved);
  }
  const accessType = requestedAccess(
    formOrQuery(request, 'x_auth_access_type') ?? auth.params.x_auth_access_type,
  );
  const record = issueRequestToken(runtime.state, {
    app: auth.app,
    callback,
    accessLevel: grantedAccessLevel(auth.app.permission, accessType),
    now: runtime.clock.now(),
    ttlSeconds: runtime.options.requestTokenTtlSeconds,
    random: runtime.random,
  });
  return formResponse(200, {
    oauth_token: record.token,
    oauth_token_secret: record.secret,
    oauth_callback_confirmed: 'true',
  });
}

function noRequestTokenPage(): EmulatorResponse {
  return htmlResponse(
    400,
    renderMessagePage(
      'Whoa there!',
      'There is no request token for this page, or it has expired or been used. Go back to the application that sent you here and try again.',
    ),
  );
}

function approve(
  context: RouteContext,
  record: RequestTokenRecord,
  userId: string,
): EmulatorResponse {
  const { runtime } = context;
  const verifier = authorizeRequestToken(runtime.state, record, userId, runtime.random);
  const cookie = { 'set-cookie': sessionCookie(userId) };
  if (record.callback === 'oob') {
    const app = runtime.state.apps.get(record.appId);
    return htmlResponse(200, renderPinPage(app?.name ?? 'the application', verifier), cookie);
  }
  return redirectResponse(
    appendQuery(record.callback, { oauth_token: record.token, oauth_verifier: verifier }),
    cookie,
  );
}

/**
 * `GET /oauth/authorize` and `GET /oauth/authenticate`: the consent page. `authenticate`
 * redirects at once for a logged-in user who already authorized the app, unless
 * `force_login=true` (X docs: "If the user has already granted your consumer application
 * permission, the redirect will occur without the user having to re-approve").
 */
export function consentPage(request: EmulatorRequest, context: RouteContext): EmulatorResponse {
  const { runtime } = context;
  const { state } = runtime;
  const limited = context.limit({ kind: 'anonymous', key: 'browser' });
  if (limited !== undefined) return limited;
  const token = request.query.get('oauth_token') ?? '';
  const record = liveRequestToken(state, token, runtime.clock.now(), 'pending');
  const app = record === undefined ? undefined : state.apps.get(record.appId);
  if (record === undefined || app === undefined) return noRequestTokenPage();
  const sessionUserId = readCookie(request.headers.cookie, SESSION_COOKIE);
  const sessionUser = sessionUserId === undefined ? undefined : state.users.get(sessionUserId);
  if (
    request.path === '/oauth/authenticate' &&
    request.query.get('force_login') !== 'true' &&
    sessionUser !== undefined &&
    record.callback !== 'oob' &&
    state.oauth1Grants.has(`${app.id}:${sessionUser.id}`)
  ) {
    return approve(context, record, sessionUser.id);
  }
  const screenName = request.query.get('screen_name');
  const preselected =
    (screenName === null ? undefined : findUserByScreenName(state, screenName)) ?? sessionUser;
  return htmlResponse(
    200,
    renderOAuth1Consent({
      action: request.path,
      appName: app.name,
      accessLevel: record.accessLevel,
      requestToken: record.token,
      consentNonce: record.consentNonce,
      users: state.users.values(),
      selectedUserId: preselected?.id,
    }),
  );
}

/** `POST /oauth/authorize` (and `/oauth/authenticate`): the consent form's Authorize or Cancel. */
export function consentDecision(request: EmulatorRequest, context: RouteContext): EmulatorResponse {
  const { runtime } = context;
  const { state } = runtime;
  const limited = context.limit({ kind: 'anonymous', key: 'browser' });
  if (limited !== undefined) return limited;
  const form = request.form ?? new URLSearchParams();
  const record = liveRequestToken(
    state,
    form.get('oauth_token') ?? '',
    runtime.clock.now(),
    'pending',
  );
  if (record === undefined || form.get('consent_nonce') !== record.consentNonce) {
    return noRequestTokenPage();
  }
  if (form.get('action') === 'cancel') {
    denyRequestToken(record);
    if (record.callback === 'oob') {
      return htmlResponse(
        200,
        renderMessagePage('Access denied', 'You have not granted access to the application.'),
      );
    }
    return redirectResponse(appendQuery(record.callback, { denied: record.token }));
  }
  if (form.get('action') !== 'authorize') return noRequestTokenPage();
  const user = state.users.get(form.get('user_id') ?? '');
  if (user === undefined) {
    return htmlResponse(
      400,
      renderMessagePage('Unknown account', 'Pick an account to sign in as.'),
    );
  }
  return approve(context, record, user.id);
}

/**
 * The request with the body's `oauth_token` and `oauth_verifier` left out where the header
 * carries the same value: twitter-api-v2's `login()` sends them in both places but signs each
 * once. Undefined when the body repeats nothing.
 */
function withoutRepeatedHeaderParams(
  request: EmulatorRequest,
  headerParams: Readonly<Record<string, string>>,
): EmulatorRequest | undefined {
  if (request.form === undefined) return undefined;
  const form = new URLSearchParams();
  let dropped = false;
  for (const [name, value] of request.form) {
    const repeated =
      (name === 'oauth_token' || name === 'oauth_verifier') && headerParams[name] === value;
    if (repeated) dropped = true;
    else form.append(name, value);
  }
  return dropped ? { ...request, form, rawBody: form.toString() } : undefined;
}

/**
 * `POST /oauth/access_token`: exchanges the authorized request token and verifier. X's
 * reference says authentication is not required, so it accepts: the standard form (signed with
 * the request token, oauth_token and oauth_verifier in the header), a signed request whose
 * query or body also carries them (twitter-api-v2's `login()` signs the body's oauth_token
 * beside the header's), a request signed with the consumer credentials only, and an unsigned
 * one with both as query or body parameters. Whatever the form, the token and verifier must
 * match, once, before the token expires; a signature that is there must be right.
 */
export async function accessToken(
  request: EmulatorRequest,
  context: RouteContext,
): Promise<EmulatorResponse> {
  markOAuth1(request, context);
  const { runtime } = context;
  const signed = request.headers.authorization !== undefined;
  let headerParams: Readonly<Record<string, string>> = {};
  try {
    headerParams = parseAuthorizationHeader(request.headers.authorization ?? '').params;
  } catch {
    headerParams = {};
  }
  const headerToken = headerParams.oauth_token;
  let appId: string;
  let headerVerifier: string | undefined;
  if (signed) {
    const kind = headerToken === undefined ? 'none' : 'request';
    let auth = await authenticateOAuth1(request, runtime, kind);
    const collapsed = auth.ok ? undefined : withoutRepeatedHeaderParams(request, headerParams);
    if (!auth.ok && auth.reason === 'bad_signature' && collapsed !== undefined) {
      auth = await authenticateOAuth1(collapsed, runtime, kind);
    }
    if (!auth.ok) return oauth1FailureResponse(auth.reason);
    appId = auth.app.id;
    headerVerifier = auth.params.oauth_verifier;
  } else {
    const token = formOrQuery(request, 'oauth_token');
    const record =
      token === undefined
        ? undefined
        : liveRequestToken(runtime.state, token, runtime.clock.now(), 'authorized');
    if (record === undefined) return v1ErrorResponse(V1_ERRORS.invalidOrExpiredToken);
    appId = record.appId;
  }
  const limited = context.limit({ kind: 'app', appId });
  if (limited !== undefined) return limited;
  const token = headerToken ?? formOrQuery(request, 'oauth_token');
  if (token === undefined) return v1ErrorResponse(V1_ERRORS.invalidOrExpiredToken);
  const redeemed = redeemRequestToken(runtime.state, {
    token,
    verifier: headerVerifier ?? formOrQuery(request, 'oauth_verifier'),
    appId,
    now: runtime.clock.now(),
  });
  if (!redeemed.ok) {
    return redeemed.failure === 'invalid_token'
      ? v1ErrorResponse(V1_ERRORS.invalidOrExpiredToken)
      : invalidVerifierResponse();
  }
  const userId = redeemed.record.userId ?? '';
  const user = runtime.state.users.get(userId);
  if (user === undefined) return v1ErrorResponse(V1_ERRORS.invalidOrExpiredToken);
  const access = issueOAuth1AccessToken(runtime.state, {
    appId,
    userId: user.id,
    accessLevel: redeemed.record.accessLevel,
    random: runtime.random,
  });
  return formResponse(200, {
    oauth_token: access.token,
    oauth_token_secret: access.secret,
    user_id: user.id,
    screen_name: user.screenName,
  });
}

/** `POST /1.1/oauth/invalidate_token`: revokes the access token the request is signed with. */
export async function invalidateAccessToken(
  request: EmulatorRequest,
  context: RouteContext,
): Promise<EmulatorResponse> {
  markOAuth1(request, context);
  const auth = await authenticateOAuth1(request, context.runtime, 'access');
  if (!auth.ok) return oauth1FailureResponse(auth.reason);
  const token = auth.accessToken;
  if (token === undefined) return v1ErrorResponse(V1_ERRORS.invalidOrExpiredToken);
  const limited = context.limit({ kind: 'user', appId: auth.app.id, userId: token.userId });
  if (limited !== undefined) return limited;
  token.revoked = true;
  return jsonResponse(200, { access_token: token.token });
}
