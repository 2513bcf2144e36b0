// Classifies X's error answers of POST oauth2/token and POST oauth2/invalidate_token into
// BearerError codes. X's app-only doc lists the failures: an invalid request (403, code 170
// "Missing required parameter: grant_type"), incorrect or expired app credentials (403, code
// 99 "Unable to verify your credentials"), invalidating an incorrect or revoked token, and
// token requests made too often (also 403, code 99: the API reference says "If attempted too
// frequently, requests will be rejected with an HTTP 403 with code 99"). X answers code 348
// "Client application is not permitted to invalidate this token" for a token it will not
// revoke, and the usual 401 codes (32, 89, 135) when an OAuth 1.0a signature is refused.

import { readXErrorBody } from '@x-oauth/internal';
import { BearerError, BearerErrorCode } from './errors.js';

/**
 * Which of the two app-only auth endpoints answered.
 *
 * @see https://docs.x.com/resources/fundamentals/authentication/api-reference
 */
export type AuthEndpoint = 'token' | 'invalidate';

const ENDPOINT_NAME: Readonly<Record<AuthEndpoint, string>> = {
  token: 'POST oauth2/token',
  invalidate: 'POST oauth2/invalidate_token',
};

function withCode(xCode: number | undefined): string {
  return xCode === undefined ? '' : `, error ${xCode}`;
}

function unauthorizedSignatureMessage(xCode: number | undefined): string {
  switch (xCode) {
    case 89:
      return "X did not accept the owner's access token that signed the invalidation (401, error 89: invalid or expired token). Pass the access token and secret of the app owner's account (developer portal, Keys and tokens), or use HTTP Basic by leaving `ownerToken` out.";
    case 32:
      return 'X could not verify the OAuth 1.0a signature of the invalidation (401, error 32). Check the API Key Secret and the access token secret.';
    case 135:
      return "X refused the OAuth 1.0a timestamp of the invalidation (401, error 135: timestamp out of bounds). Correct this machine's clock.";
    default:
      return `X did not accept the credentials of the invalidation (401${withCode(xCode)}). Check the API Key and Secret and, when signing, the owner's access token.`;
  }
}

/**
 * The {@link BearerError} for an error answer of `POST oauth2/token` or
 * `POST oauth2/invalidate_token`, from its status and parsed JSON body (`undefined` when the
 * body was not JSON). Pure. The body's free text is never copied into the error.
 *
 * @see https://docs.x.com/resources/fundamentals/authentication/oauth-2-0/application-only
 * @see https://docs.x.com/resources/fundamentals/authentication/api-reference#post-oauth2-token
 */
export function authEndpointError(
  endpoint: AuthEndpoint,
  status: number,
  body: unknown,
  retryAt?: Date,
): BearerError {
  const { xCode, problemType } = readXErrorBody(body);
  const details = { status, xCode, problemType };
  const name = ENDPOINT_NAME[endpoint];

  if (status === 429 || xCode === 88) {
    return new BearerError(
      BearerErrorCode.TooManyRequests,
      `X is rate-limiting ${name} (HTTP ${status}${withCode(xCode)}). Cache the token (X issues one per app and returns the same one until it is invalidated) and retry after the window resets.`,
      { ...details, retryAt },
    );
  }
  if (status === 403 && xCode === 170) {
    const parameter = endpoint === 'token' ? 'grant_type=client_credentials' : 'access_token';
    return new BearerError(
      BearerErrorCode.InvalidRequest,
      `X refused ${name} as incomplete (403, error 170: missing required parameter). The form body must carry ${parameter}, sent as application/x-www-form-urlencoded; this is a bug in how the request was built, not in the keys.`,
      details,
    );
  }
  if (status === 403 && xCode === 99) {
    const message =
      endpoint === 'token'
        ? "X could not verify the app's credentials (403, error 99). Check the API Key and Secret (developer portal, Keys and tokens; regenerating them retires the old pair). X gives the same answer to token requests made too often, for example right after an invalidation: if the keys are right, wait a few minutes and retry."
        : 'X could not verify the invalidation request (403, error 99). Check the API Key and Secret; X gives the same answer when the token to invalidate is incorrect or already revoked.';
    return new BearerError(BearerErrorCode.InvalidClientCredentials, message, details);
  }
  if (endpoint === 'invalidate' && status === 403 && xCode === 348) {
    return new BearerError(
      BearerErrorCode.InvalidationRefused,
      "X refused to invalidate the token (403, error 348). It is not a live token of this app (already invalidated, or issued to another app), or the access token that signed the request is not the app owner's.",
      details,
    );
  }
  if (status === 401) {
    return new BearerError(
      BearerErrorCode.InvalidClientCredentials,
      endpoint === 'token'
        ? `X did not accept the app's credentials (401${withCode(xCode)}). Check the API Key and Secret.`
        : unauthorizedSignatureMessage(xCode),
      details,
    );
  }
  const advice =
    status >= 500
      ? 'X may be unavailable; retry later with backoff.'
      : 'Check the request and the base URL.';
  return new BearerError(
    BearerErrorCode.UnexpectedStatus,
    `X answered ${name} with HTTP ${status}${withCode(xCode)}. ${advice}`,
    details,
  );
}
