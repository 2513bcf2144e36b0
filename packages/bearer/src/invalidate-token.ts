// POST oauth2/invalidate_token. X's current reference authenticates it with OAuth 1.0a (the
// app's keys and the app owner's access token); its older docs used HTTP Basic with the app's
// keys, which X still accepts. Both are supported; signing is the default when an owner token
// is given. The token goes in the form body in both cases (signed as a form parameter), not in
// the query as X's curl example shows it, so it never lands in URLs and access logs.
import { encodeBasicCredentials, type KeyAndSecret } from '@x-oauth/internal';
import { authEndpointError } from './auth-endpoint-error.js';
import { checkCredentials, checkToken } from './credentials.js';
import { endpointUrl, INVALIDATE_TOKEN_PATH } from './endpoints.js';
import { BearerError, BearerErrorCode } from './errors.js';
import { readJson, retryAtOf, send } from './http.js';
import type { CallOptions, TransportOptions } from './types.js';

/**
 * How the invalidation authenticates: `oauth1` signs it with the app's keys and the owner's
 * access token (X's current docs); `basic` sends the app's keys as HTTP Basic (older docs).
 *
 * @see https://docs.x.com/resources/fundamentals/authentication/api-reference#post-oauth2-invalidate-token
 */
export type InvalidationAuthentication = 'oauth1' | 'basic';

/**
 * What {@link invalidateBearerTokenRequest} and {@link invalidateBearerToken} need.
 *
 * @see https://docs.x.com/resources/fundamentals/authentication/api-reference#post-oauth2-invalidate-token
 */
export interface InvalidateBearerTokenOptions extends TransportOptions, CallOptions {
  /** The app's API Key and API Key Secret. */
  readonly consumer: KeyAndSecret;
  /** The bearer token to invalidate, exactly as X issued it. */
  readonly token: string;
  /**
   * The app owner's OAuth 1.0a access token and secret. When given, the request is signed
   * with OAuth 1.0a, as X's current docs require; without it, HTTP Basic is used.
   */
  readonly ownerToken?: KeyAndSecret | undefined;
  /** Overrides the choice made from `ownerToken`; `oauth1` needs `ownerToken`. */
  readonly authentication?: InvalidationAuthentication | undefined;
}

function chooseAuthentication(options: InvalidateBearerTokenOptions): InvalidationAuthentication {
  const { authentication, ownerToken } = options;
  if (authentication === undefined) return ownerToken === undefined ? 'basic' : 'oauth1';
  if (authentication !== 'oauth1' && authentication !== 'basic') {
    throw new BearerError(
      BearerErrorCode.InvalidArgument,
      '`authentication` must be "oauth1" or "basic".',
    );
  }
  if (authentication === 'oauth1' && ownerToken === undefined) {
    throw new BearerError(
      BearerErrorCode.InvalidArgument,
      '`authentication: "oauth1"` needs `ownerToken`: the app owner\'s access token and secret.',
    );
  }
  return authentication;
}

/**
 * Sends `POST oauth2/invalidate_token` with `access_token` in the form body, signed with
 * OAuth 1.0a when `ownerToken` is given (X's current docs) or with HTTP Basic otherwise (X's
 * older docs). Resolves to X's raw answer; pass it to
 * {@link processInvalidateBearerTokenResponse}.
 *
 * @throws {BearerError} `BEARER_INVALID_ARGUMENT` or `BEARER_INSECURE_ENDPOINT` before anything
 * is sent; `BEARER_NETWORK_ERROR` when no answer arrives.
 * @see https://docs.x.com/resources/fundamentals/authentication/api-reference#post-oauth2-invalidate-token
 */
export async function invalidateBearerTokenRequest(
  options: InvalidateBearerTokenOptions,
): Promise<Response> {
  const consumer = checkCredentials(options.consumer, 'consumer');
  const token = checkToken(options.token, 'token');
  const authentication = chooseAuthentication(options);
  const url = endpointUrl(options.baseUrl, INVALIDATE_TOKEN_PATH);
  let authorization: string;
  let body: string;
  if (authentication === 'oauth1') {
    const ownerToken = checkCredentials(options.ownerToken, 'ownerToken');
    // Loaded on first use: an app that only obtains tokens (most, and every browser bundle that
    // code-splits) never loads the OAuth 1.0a signer.
    const { signRequest } = await import('@x-oauth/oauth1-signature');
    const signed = await signRequest({
      method: 'POST',
      url,
      consumer,
      token: ownerToken,
      form: { access_token: token },
    });
    authorization = signed.authorization;
    // Send the body exactly as it was signed.
    body = signed.body ?? '';
  } else {
    authorization = `Basic ${encodeBasicCredentials(consumer.key, consumer.secret)}`;
    body = new URLSearchParams({ access_token: token }).toString();
  }
  return send(
    options.fetch,
    url,
    {
      method: 'POST',
      headers: {
        authorization,
        'content-type': 'application/x-www-form-urlencoded;charset=UTF-8',
        accept: 'application/json',
      },
      body,
    },
    options.signal,
  );
}

/**
 * Validates X's answer to `POST oauth2/invalidate_token`: success is a JSON object with the
 * revoked `access_token`, which is not returned (nothing here hands a token back). Pure.
 *
 * @throws {BearerError} `BEARER_INVALIDATION_REFUSED` (403, 348), `BEARER_INVALID_CLIENT_CREDENTIALS`
 * (403, 99; 401, 32/89/135), `BEARER_INVALID_REQUEST` (403, 170), `BEARER_TOO_MANY_REQUESTS`,
 * `BEARER_UNEXPECTED_STATUS`, or `BEARER_INVALID_RESPONSE`.
 * @see https://docs.x.com/resources/fundamentals/authentication/api-reference#post-oauth2-invalidate-token
 */
export async function processInvalidateBearerTokenResponse(response: Response): Promise<void> {
  const body = await readJson(response);
  if (!response.ok) {
    throw authEndpointError(
      'invalidate',
      response.status,
      body.ok ? body.value : undefined,
      retryAtOf(response, Date.now),
    );
  }
  const value = body.ok ? body.value : undefined;
  const revoked =
    typeof value === 'object' && value !== null && 'access_token' in value
      ? value.access_token
      : undefined;
  if (typeof revoked !== 'string') {
    throw new BearerError(
      BearerErrorCode.InvalidResponse,
      `X answered POST oauth2/invalidate_token with HTTP ${response.status} but not the documented {"access_token":"…"}; the token may not be invalidated. Check that \`baseUrl\` points at X's API.`,
      { status: response.status },
    );
  }
}

/**
 * Invalidates (revokes) a bearer token at X: {@link invalidateBearerTokenRequest} then
 * {@link processInvalidateBearerTokenResponse}. Afterwards X issues a different token to the
 * next `POST oauth2/token`.
 *
 * @example
 * await invalidateBearerToken({ consumer, token, ownerToken: { key, secret } });
 * @throws {BearerError} see the two functions it composes.
 * @see https://docs.x.com/resources/fundamentals/authentication/api-reference#post-oauth2-invalidate-token
 */
export async function invalidateBearerToken(options: InvalidateBearerTokenOptions): Promise<void> {
  const response = await invalidateBearerTokenRequest(options);
  try {
    await processInvalidateBearerTokenResponse(response);
  } catch (error) {
    if (options.signal?.aborted === true) throw options.signal.reason;
    throw error;
  }
}
