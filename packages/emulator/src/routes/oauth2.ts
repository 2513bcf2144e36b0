// OAuth 2.0 Authorization Code with PKCE: i/oauth2/authorize (consent), 2/oauth2/token
// (authorization_code and refresh_token grants) and 2/oauth2/revoke.
import { authenticateClient } from '../auth/oauth2-client.js';
import { readCookie, SESSION_COOKIE, sessionCookie } from '../http/cookies.js';
import { type EmulatorRequest, withJsonBodyAsForm } from '../http/request.js';
import {
  type EmulatorResponse,
  htmlResponse,
  jsonResponse,
  redirectResponse,
} from '../http/response.js';
import { appendQuery } from '../http/url.js';
import { renderMessagePage } from '../pages/message.js';
import { renderOAuth2Consent } from '../pages/oauth2-consent.js';
import type { RouteContext } from '../runtime.js';
import { findAppByClientId, findUserByScreenName } from '../state.js';
import {
  createPendingAuthorization,
  issueCode,
  issueOAuth2Tokens,
  type OAuth2TokenSet,
  revokeFamily,
  sweepExpiredOAuth2,
  takePendingAuthorization,
} from '../tokens/oauth2.js';
import { pkceMatches } from '../tokens/pkce.js';
import { parseScopes } from '../tokens/scopes.js';
import { oauth2Error, oauth2MissingParameter } from '../x-errors.js';

function somethingWentWrong(message: string): EmulatorResponse {
  return htmlResponse(400, renderMessagePage('Something went wrong', message));
}

/**
 * `GET /i/oauth2/authorize`: checks the client and the exact redirect URI (errors there are
 * shown, never redirected, RFC 6749 §4.1.2.1), then the other parameters (errors redirected
 * with `error=invalid_request`), then shows the consent page.
 */
export function authorizePage(request: EmulatorRequest, context: RouteContext): EmulatorResponse {
  const { runtime } = context;
  const { state } = runtime;
  const limited = context.limit({ kind: 'anonymous', key: 'browser' });
  if (limited !== undefined) return limited;
  const query = request.query;
  const app = findAppByClientId(state, query.get('client_id') ?? '');
  if (app === undefined) {
    return somethingWentWrong(
      "The client_id does not belong to any app. Check the app's OAuth 2.0 Client ID.",
    );
  }
  const redirectUri = query.get('redirect_uri') ?? '';
  if (!app.callbackUrls.includes(redirectUri)) {
    return somethingWentWrong(
      "The redirect_uri is not one of the app's registered callback URLs (they are compared exactly).",
    );
  }
  const stateParam = query.get('state') ?? '';
  const fail = (description: string): EmulatorResponse =>
    redirectResponse(
      appendQuery(redirectUri, {
        error: 'invalid_request',
        error_description: description,
        state: stateParam === '' ? undefined : stateParam,
      }),
    );
  if (query.get('response_type') !== 'code') return fail('response_type must be code.');
  if (stateParam === '') return fail('Missing required parameter [state].');
  const { scopes, unknown } = parseScopes(query.get('scope') ?? '');
  if (scopes.length === 0) return fail('Missing required parameter [scope].');
  if (unknown.length > 0) return fail(`Unknown scope: ${unknown.join(' ')}.`);
  const challenge = query.get('code_challenge') ?? '';
  if (challenge === '') return fail('Missing required parameter [code_challenge].');
  // Case-insensitive, as X takes it: twitter-api-v2 and X's TypeScript SDK send `s256`.
  const method = codeChallengeMethod(query.get('code_challenge_method'));
  if (method === undefined) {
    return fail('code_challenge_method must be S256 or plain.');
  }
  const now = runtime.clock.now();
  sweepExpiredOAuth2(state, now);
  const pending = createPendingAuthorization(
    state,
    {
      appId: app.id,
      redirectUri,
      scopes,
      state: stateParam,
      codeChallenge: challenge,
      codeChallengeMethod: method,
    },
    now,
    runtime.random,
  );
  const screenName = query.get('screen_name');
  const sessionUserId = readCookie(request.headers.cookie, SESSION_COOKIE);
  const preselected =
    (screenName === null ? undefined : findUserByScreenName(state, screenName)) ??
    (sessionUserId === undefined ? undefined : state.users.get(sessionUserId));
  return htmlResponse(
    200,
    renderOAuth2Consent({
      appName: app.name,
      scopes,
      requestId: pending.id,
      users: state.users.values(),
      selectedUserId: preselected?.id,
    }),
  );
}

/** `POST /i/oauth2/authorize`: Authorize redirects with `code` and `state`, Cancel with `access_denied`. */
export function authorizeDecision(
  request: EmulatorRequest,
  context: RouteContext,
): EmulatorResponse {
  const { runtime } = context;
  const { state } = runtime;
  const limited = context.limit({ kind: 'anonymous', key: 'browser' });
  if (limited !== undefined) return limited;
  const form = request.form ?? new URLSearchParams();
  const now = runtime.clock.now();
  const pending = takePendingAuthorization(state, form.get('request_id') ?? '', now);
  if (pending === undefined) {
    return somethingWentWrong(
      'This authorization request has expired or was already answered. Start again from the app.',
    );
  }
  if (form.get('action') === 'cancel') {
    return redirectResponse(
      appendQuery(pending.redirectUri, { error: 'access_denied', state: pending.state }),
    );
  }
  const user = state.users.get(form.get('user_id') ?? '');
  if (form.get('action') !== 'authorize' || user === undefined) {
    return somethingWentWrong('Pick an account and press Authorize or Cancel.');
  }
  const code = issueCode(state, pending, user.id, {
    now,
    ttlSeconds: runtime.options.codeTtlSeconds,
    random: runtime.random,
  });
  return redirectResponse(
    appendQuery(pending.redirectUri, { state: pending.state, code: code.code }),
    {
      'set-cookie': sessionCookie(user.id),
    },
  );
}

function tokenResponse(tokens: OAuth2TokenSet, expiresIn: number): EmulatorResponse {
  const body: Record<string, string | number> = {
    token_type: 'bearer',
    expires_in: expiresIn,
    access_token: tokens.access.token,
    scope: tokens.access.scopes.join(' '),
  };
  if (tokens.refresh !== undefined) body.refresh_token = tokens.refresh.token;
  return jsonResponse(200, body);
}

function codeChallengeMethod(value: string | null): 'S256' | 'plain' | undefined {
  const lower = value?.toLowerCase();
  if (lower === 's256') return 'S256';
  return lower === 'plain' ? 'plain' : undefined;
}

/** `POST /2/oauth2/token`: the `authorization_code` and `refresh_token` grants. */
export function token(received: EmulatorRequest, context: RouteContext): EmulatorResponse {
  // X answers JSON bodies too (twitter-api-v2 sends them).
  const request = withJsonBodyAsForm(received);
  if (request === undefined) return oauth2Error('malformedBody');
  const client = authenticateClient(request, context);
  if (!client.ok) return client.response;
  const { app } = client;
  const limited = context.limit({ kind: 'app', appId: app.id });
  if (limited !== undefined) return limited;
  const { runtime } = context;
  const { state } = runtime;
  const form = request.form ?? new URLSearchParams();
  const now = runtime.clock.now();
  const ttlSeconds = runtime.options.accessTokenTtlSeconds;
  const grantType = form.get('grant_type');
  if (grantType === null || grantType === '') return oauth2MissingParameter('grant_type');

  if (grantType === 'authorization_code') {
    for (const name of ['code', 'redirect_uri', 'code_verifier']) {
      if ((form.get(name) ?? '') === '') return oauth2MissingParameter(name);
    }
    const record = state.oauth2Codes.get(form.get('code') as string);
    if (record === undefined || record.appId !== app.id) return oauth2Error('invalidCode');
    if (record.used) {
      // RFC 6749 §4.1.2: a replayed code should revoke the tokens issued from it.
      revokeFamily(state, record.familyId);
      return oauth2Error('invalidCode');
    }
    record.used = true;
    if (record.expiresAt <= now) return oauth2Error('invalidCode');
    if (form.get('redirect_uri') !== record.redirectUri) return oauth2Error('redirectMismatch');
    if (
      !pkceMatches(
        form.get('code_verifier') as string,
        record.codeChallenge,
        record.codeChallengeMethod,
      )
    ) {
      return oauth2Error('verifierMismatch');
    }
    const tokens = issueOAuth2Tokens(state, {
      appId: app.id,
      userId: record.userId,
      scopes: record.scopes,
      familyId: record.familyId,
      now,
      ttlSeconds,
      random: runtime.random,
    });
    return tokenResponse(tokens, ttlSeconds);
  }

  if (grantType === 'refresh_token') {
    const value = form.get('refresh_token') ?? '';
    if (value === '') return oauth2MissingParameter('refresh_token');
    const record = state.oauth2RefreshTokens.get(value);
    if (record === undefined || record.appId !== app.id) return oauth2Error('invalidToken');
    if (record.status === 'spent' && runtime.settings.strictRefreshReuse) {
      // Reuse of a rotated refresh token means two holders: treat it as theft (OAuth 2.0
      // Security BCP, refresh token rotation) and end the whole session.
      revokeFamily(state, record.familyId);
    }
    if (record.status !== 'active') return oauth2Error('invalidToken');
    record.status = 'spent';
    const tokens = issueOAuth2Tokens(state, {
      appId: app.id,
      userId: record.userId,
      scopes: record.scopes,
      familyId: record.familyId,
      now,
      ttlSeconds,
      random: runtime.random,
    });
    return tokenResponse(tokens, ttlSeconds);
  }

  return oauth2Error('invalidGrantType');
}

/** `POST /2/oauth2/revoke`: revokes an access or refresh token of the client; answers `{"revoked":true}`. */
export function revoke(received: EmulatorRequest, context: RouteContext): EmulatorResponse {
  const request = withJsonBodyAsForm(received);
  if (request === undefined) return oauth2Error('malformedBody');
  const client = authenticateClient(request, context);
  if (!client.ok) return client.response;
  const limited = context.limit({ kind: 'app', appId: client.app.id });
  if (limited !== undefined) return limited;
  const { state } = context.runtime;
  const value = request.form?.get('token') ?? '';
  if (value === '') return oauth2MissingParameter('token');
  const access = state.oauth2AccessTokens.get(value);
  if (access !== undefined && access.appId === client.app.id) access.revoked = true;
  const refresh = state.oauth2RefreshTokens.get(value);
  if (refresh !== undefined && refresh.appId === client.app.id) refresh.status = 'revoked';
  // RFC 7009 §2.2: an unknown token is not an error.
  return jsonResponse(200, { revoked: true });
}
