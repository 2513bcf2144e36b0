// POST oauth2/token: the client-credentials grant (RFC 6749 §4.4) exactly as X documents it.
import { encodeBasicCredentials, type KeyAndSecret } from '@x-oauth/internal';
import { authEndpointError } from './auth-endpoint-error.js';
import { checkCredentials, isWellFormedToken } from './credentials.js';
import { endpointUrl, TOKEN_PATH } from './endpoints.js';
import { BearerError, BearerErrorCode } from './errors.js';
import { readJson, retryAtOf, send } from './http.js';
import type { CallOptions, TransportOptions } from './types.js';

/**
 * What {@link bearerTokenRequest} and {@link obtainBearerToken} need.
 *
 * @see https://docs.x.com/resources/fundamentals/authentication/api-reference#post-oauth2-token
 */
export interface BearerTokenRequestOptions extends TransportOptions, CallOptions {
  /** The app's API Key and API Key Secret (consumer key and secret). */
  readonly consumer: KeyAndSecret;
}

/**
 * Sends `POST oauth2/token` as X documents it: `Authorization: Basic` with the encoded
 * consumer key and secret, `Content-Type: application/x-www-form-urlencoded;charset=UTF-8`
 * and the body `grant_type=client_credentials`. Resolves to X's raw answer; pass it to
 * {@link processBearerTokenResponse}.
 *
 * @throws {BearerError} `BEARER_INVALID_ARGUMENT` or `BEARER_INSECURE_ENDPOINT` before anything
 * is sent; `BEARER_NETWORK_ERROR` when no answer arrives.
 * @see https://docs.x.com/resources/fundamentals/authentication/oauth-2-0/application-only
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.4.2
 */
export async function bearerTokenRequest(options: BearerTokenRequestOptions): Promise<Response> {
  const consumer = checkCredentials(options.consumer, 'consumer');
  const url = endpointUrl(options.baseUrl, TOKEN_PATH);
  return send(
    options.fetch,
    url,
    {
      method: 'POST',
      headers: {
        authorization: `Basic ${encodeBasicCredentials(consumer.key, consumer.secret)}`,
        'content-type': 'application/x-www-form-urlencoded;charset=UTF-8',
        accept: 'application/json',
      },
      body: 'grant_type=client_credentials',
    },
    options.signal,
  );
}

/**
 * Validates X's answer to `POST oauth2/token` and returns the bearer token. Pure (it only
 * reads the response). The token is checked to be `token_type` `bearer` (compared without
 * regard to case, RFC 6749 §7.1) and a string that can be sent in a header as it is.
 *
 * @throws {BearerError} `BEARER_INVALID_REQUEST` (403, 170), `BEARER_INVALID_CLIENT_CREDENTIALS`
 * (403, 99), `BEARER_TOO_MANY_REQUESTS` (429), `BEARER_UNEXPECTED_STATUS`, or
 * `BEARER_INVALID_RESPONSE` for a success that is not the documented JSON.
 * @see https://docs.x.com/resources/fundamentals/authentication/api-reference#post-oauth2-token
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.1
 */
export async function processBearerTokenResponse(response: Response): Promise<string> {
  const body = await readJson(response);
  if (!response.ok) {
    throw authEndpointError(
      'token',
      response.status,
      body.ok ? body.value : undefined,
      retryAtOf(response, Date.now),
    );
  }
  if (!body.ok) {
    throw invalidTokenResponse(
      body.empty ? 'an empty body' : 'a body that is not JSON',
      response.status,
    );
  }
  const value = body.value;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalidTokenResponse('JSON that is not an object', response.status);
  }
  const tokenType = 'token_type' in value ? value.token_type : undefined;
  if (typeof tokenType !== 'string') {
    throw invalidTokenResponse('no `token_type`', response.status);
  }
  if (tokenType.toLowerCase() !== 'bearer') {
    throw invalidTokenResponse('a `token_type` other than "bearer"', response.status);
  }
  const accessToken = 'access_token' in value ? value.access_token : undefined;
  if (!isWellFormedToken(accessToken)) {
    throw invalidTokenResponse(
      'no `access_token`, or one that is not a header-safe string',
      response.status,
    );
  }
  return accessToken;
}

function invalidTokenResponse(what: string, status: number): BearerError {
  // The body of a token response is the token: describe what is wrong, never show it.
  return new BearerError(
    BearerErrorCode.InvalidResponse,
    `X answered POST oauth2/token with ${what} (HTTP ${status}); expected {"token_type":"bearer","access_token":"…"}. Check that \`baseUrl\` points at X's API.`,
    { status },
  );
}

/**
 * Obtains the app's bearer token with its consumer key and secret: {@link bearerTokenRequest}
 * then {@link processBearerTokenResponse}. X issues one token per app and returns the same one
 * until it is invalidated, so cache it (see `BearerTokenProvider`) rather than asking again.
 *
 * @example
 * const token = await obtainBearerToken({ consumer: { key, secret } });
 * await fetch(url, { headers: { authorization: bearerAuthorization(token) } });
 * @throws {BearerError} see {@link bearerTokenRequest} and {@link processBearerTokenResponse}.
 * @see https://docs.x.com/resources/fundamentals/authentication/oauth-2-0/application-only
 */
export async function obtainBearerToken(options: BearerTokenRequestOptions): Promise<string> {
  const response = await bearerTokenRequest(options);
  try {
    return await processBearerTokenResponse(response);
  } catch (error) {
    // An abort while the body is read surfaces as a read failure; report the abort instead.
    if (options.signal?.aborted === true) throw options.signal.reason;
    throw error;
  }
}
