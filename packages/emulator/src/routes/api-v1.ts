// v1.1 endpoints: account/verify_credentials and statuses/update, OAuth 1.0a user context
// only, with v1.1 error bodies.
import { authenticateApiRequest, isAuthFailure } from '../auth/api-auth.js';
import { oauth1FailureResponse } from '../auth/oauth1.js';
import { type EmulatorRequest, formOrQuery } from '../http/request.js';
import { type EmulatorResponse, JSON_CONTENT_TYPE } from '../http/response.js';
import type { RouteContext } from '../runtime.js';
import type { AppRecord } from '../state.js';
import { canWrite } from '../tokens/access-level.js';
import { checkTweetText } from '../tweet-text.js';
import { createTweet, v1Json, v1Tweet, v1User } from '../tweets.js';
import type { AppPermission, EmulatorUser } from '../types.js';
import { V1_ERRORS, v1ErrorResponse, v1ReadOnlyApplication } from '../x-errors.js';

type V1Authorized =
  | {
      readonly ok: true;
      readonly app: AppRecord;
      readonly user: EmulatorUser;
      readonly accessLevel: AppPermission;
    }
  | { readonly ok: false; readonly response: EmulatorResponse };

async function authorize(request: EmulatorRequest, context: RouteContext): Promise<V1Authorized> {
  const caller = await authenticateApiRequest(request, context.runtime);
  if (isAuthFailure(caller)) {
    if (caller.failure === 'missing')
      return { ok: false, response: v1ErrorResponse(V1_ERRORS.badAuthenticationData) };
    if (caller.failure === 'invalid-bearer') {
      return { ok: false, response: v1ErrorResponse(V1_ERRORS.invalidOrExpiredToken) };
    }
    context.meta.auth = 'oauth1';
    return { ok: false, response: oauth1FailureResponse(caller.reason) };
  }
  context.meta.auth = caller.kind;
  if (caller.kind !== 'oauth1')
    return { ok: false, response: v1ErrorResponse(V1_ERRORS.credentialsDoNotAllow) };
  const limited = context.limit({ kind: 'user', appId: caller.app.id, userId: caller.user.id });
  if (limited !== undefined) return { ok: false, response: limited };
  return { ok: true, app: caller.app, user: caller.user, accessLevel: caller.accessLevel };
}

function v1JsonResponse(status: number, value: Record<string, unknown>): EmulatorResponse {
  return {
    status,
    headers: { 'content-type': JSON_CONTENT_TYPE, 'cache-control': 'no-store' },
    body: v1Json(value),
  };
}

/** `GET /1.1/account/verify_credentials.json`: the signed-in user. */
export async function verifyCredentials(
  request: EmulatorRequest,
  context: RouteContext,
): Promise<EmulatorResponse> {
  const result = await authorize(request, context);
  if (!result.ok) return result.response;
  return v1JsonResponse(200, v1User(result.user));
}

/**
 * `POST /1.1/statuses/update.json` with `status=…` in the form body or, as X's own reference
 * example and twurl send it, in the query string (signed either way).
 */
export async function updateStatus(
  request: EmulatorRequest,
  context: RouteContext,
): Promise<EmulatorResponse> {
  const result = await authorize(request, context);
  if (!result.ok) return result.response;
  if (!canWrite(result.accessLevel)) return v1ReadOnlyApplication(request.path);
  const status = formOrQuery(request, 'status') ?? '';
  if (status.trim() === '') {
    return v1ErrorResponse({
      status: 400,
      code: 170,
      message: 'Missing required parameter: status.',
    });
  }
  const checked = checkTweetText(status);
  if (!checked.ok) {
    return checked.reason === 'too_long'
      ? v1ErrorResponse({ status: 403, code: 186, message: 'Tweet needs to be a bit shorter.' })
      : v1ErrorResponse({ status: 400, code: 44, message: 'status parameter is invalid.' });
  }
  const tweet = createTweet(
    context.runtime.state,
    result.user,
    checked.text,
    context.runtime.clock.now(),
  );
  if (tweet === 'duplicate') return v1ErrorResponse(V1_ERRORS.duplicateStatus);
  return v1JsonResponse(200, v1Tweet(tweet, result.user));
}
