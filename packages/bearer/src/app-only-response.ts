// Classifies answers of API endpoints called with a bearer token, for the two failures X's
// app-only doc names: an invalid or revoked token (401, v1.1 code 89) and an endpoint that
// needs a user (403: v2 problem "Unsupported Authentication", v1.1 code 220).

import { readXErrorBody } from '@x-oauth/internal';
import { BearerError, BearerErrorCode } from './errors.js';
import { readJson } from './http.js';

const UNSUPPORTED_AUTHENTICATION = 'unsupported-authentication';

/**
 * The {@link BearerError} for an API answer to a request made with a bearer token, or
 * `undefined` when the answer is not one of the app-only auth failures (so the caller handles
 * it: 404, 429, …). Pure.
 *
 * - 401 becomes `BEARER_INVALID_TOKEN`: v1.1 sends code 89 "Invalid or expired token", v2 a
 *   401 problem; for a bearer request either means the token was not accepted (RFC 6750 §3.1).
 * - 403 with the v2 problem `…/2/problems/unsupported-authentication` (matched on the last
 *   path segment: X serves it under api.twitter.com and api.x.com) or v1.1 code 220 becomes
 *   `BEARER_USER_CONTEXT_REQUIRED`.
 *
 * @see https://docs.x.com/resources/fundamentals/authentication/oauth-2-0/application-only
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-3.1
 */
export function parseAppOnlyError(status: number, body: unknown): BearerError | undefined {
  const { xCode, problemType, problem } = readXErrorBody(body);
  const details = { status, xCode, problemType };
  if (status === 401) {
    return new BearerError(
      BearerErrorCode.InvalidToken,
      `X did not accept the bearer token (401${xCode === undefined ? '' : `, error ${xCode}`}): it is invalid, expired or was invalidated. Obtain a new one (BearerTokenProvider does this after forgetToken) or generate one in the developer portal.`,
      details,
    );
  }
  if (status === 403 && (problem === UNSUPPORTED_AUTHENTICATION || xCode === 220)) {
    return new BearerError(
      BearerErrorCode.UserContextRequired,
      `This endpoint needs a user context and refuses app-only authentication (403${xCode === undefined ? ', Unsupported Authentication' : `, error ${xCode}`}). Call it with OAuth 1.0a or OAuth 2.0 user tokens (PKCE) instead of the bearer token.`,
      details,
    );
  }
  return undefined;
}

/**
 * Checks an API answer to a request made with a bearer token: resolves to the same response
 * when it is not an app-only auth failure, throws the error of {@link parseAppOnlyError}
 * when it is. The body is read from a clone, so the caller can still read the response.
 *
 * @example
 * const response = await checkAppOnlyResponse(await fetch(url, { headers: { authorization } }));
 * @throws {BearerError} `BEARER_INVALID_TOKEN` or `BEARER_USER_CONTEXT_REQUIRED`.
 * @see https://docs.x.com/resources/fundamentals/authentication/oauth-2-0/application-only
 */
export async function checkAppOnlyResponse(response: Response): Promise<Response> {
  if (response.status !== 401 && response.status !== 403) return response;
  const body = await readJson(response.clone());
  const error = parseAppOnlyError(response.status, body.ok ? body.value : undefined);
  if (error !== undefined) throw error;
  return response;
}
