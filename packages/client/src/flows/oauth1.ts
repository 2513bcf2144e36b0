// X's 3-legged OAuth 1.0a flow and its PIN variant: POST oauth/request_token,
// GET oauth/authorize (or oauth/authenticate), POST oauth/access_token; and revoking a user's
// token with POST 1.1/oauth/invalidate_token. Each request is signed with the app's keys (and
// the request or access token) and sent through the client's transport by xRequest(); the
// answers are read by pure process*Response() functions. On a stale timestamp the clock is
// corrected from X's Date header and the request signed again, once, as XClient does.
import { constantTimeEqual, signRequest } from '@x-oauth/oauth1-signature';
import { checkKeyAndSecret, checkString, type KeyAndSecret } from '../auth/credentials.js';
import type { FetchLike } from '../auth/strategy.js';
import { CorrectedClock, parseHttpDate } from '../clock.js';
import { XApiError, XApiErrorCode } from '../errors.js';
import { type AttemptOutcome, nextStep, type RetryBudget, spend } from '../next-step.js';
import { parseXError } from '../parse-error.js';
import { assertSecureEndpoint, assertTlsVerified } from '../security.js';
import { fetchTransport } from '../transport/fetch-transport.js';
import type { TransportResponse } from '../transport/transport.js';
import { transportError } from '../transport/transport-error.js';
import { AccessToken, RequestToken } from './oauth1-tokens.js';

/**
 * What every OAuth 1.0a flow call takes.
 *
 * @see https://docs.x.com/resources/fundamentals/authentication/oauth-1-0a/obtaining-user-access-tokens
 */
export interface OAuth1FlowOptions {
  /** The app's API Key and Secret. */
  readonly consumer: KeyAndSecret;
  /** `https://api.x.com` by default; `http:` only to loopback (an emulator). */
  readonly baseUrl?: string | URL | undefined;
  readonly fetch?: FetchLike | undefined;
  readonly signal?: AbortSignal | undefined;
  /** See `XClientOptions.allowInsecureTls`. */
  readonly allowInsecureTls?: boolean | undefined;
  /** The local clock; `Date.now` by default. */
  readonly now?: (() => number) | undefined;
}

/**
 * Options of {@link getRequestToken}.
 *
 * @see https://docs.x.com/resources/fundamentals/authentication/api-reference#post-oauth-request-token
 */
export interface GetRequestTokenOptions extends OAuth1FlowOptions {
  /** A callback URL registered for the app, character for character; `'oob'` for the PIN flow. */
  readonly callback: string;
  /** `x_auth_access_type`: ask for less than the app's permission (`read`), or `write`. */
  readonly accessType?: 'read' | 'write' | undefined;
}

/**
 * Options of {@link getAccessToken}.
 *
 * @see https://docs.x.com/resources/fundamentals/authentication/api-reference#post-oauth-access-token
 */
export interface GetAccessTokenOptions extends OAuth1FlowOptions {
  /** The request token (with its secret) from {@link getRequestToken}, opened from its cookie. */
  readonly requestToken: KeyAndSecret;
  /** `oauth_verifier` from the callback, or the PIN the user typed. */
  readonly verifier: string;
}

/**
 * Options of {@link invalidateOAuth1Token}.
 *
 * @see https://docs.x.com/resources/fundamentals/authentication/api-reference#post-oauth-invalidate-token
 */
export interface InvalidateOAuth1TokenOptions extends OAuth1FlowOptions {
  /** The user's access token and secret to revoke (the request is signed with it). */
  readonly token: KeyAndSecret;
}

/**
 * Options of {@link authorizeUrl} and {@link authenticateUrl}.
 *
 * @see https://docs.x.com/resources/fundamentals/authentication/api-reference#get-oauth-authorize
 */
export interface AuthorizeUrlOptions {
  /** Make the user sign in again even when a session exists (`force_login=true`). */
  readonly forceLogin?: boolean | undefined;
  /** Prefill the username on the sign-in page (`screen_name`). */
  readonly screenName?: string | undefined;
  /** `https://api.x.com` by default. */
  readonly baseUrl?: string | URL | undefined;
}

/** The per-attempt timeout of flow requests, as `XClient`'s default. */
const FLOW_TIMEOUT_MS = 30_000;

interface SignedCall {
  readonly method: 'POST';
  readonly path: string;
  readonly query?: Readonly<Record<string, string>>;
  readonly token?: KeyAndSecret | undefined;
  readonly callback?: string | undefined;
  readonly verifier?: string | undefined;
}

function baseUrlOf(value: string | URL | undefined): URL {
  let url: URL;
  try {
    url = new URL(String(value ?? 'https://api.x.com'));
  } catch {
    throw new XApiError(
      XApiErrorCode.InvalidArgument,
      'baseUrl must be an absolute URL such as https://api.x.com.',
    );
  }
  assertSecureEndpoint(url);
  return url;
}

/** X's answer to a flow request, with the endpoint it came from. */
interface FlowResponse {
  readonly status: number;
  readonly text: string;
  readonly endpoint: string;
}

// The flows' only retry is the clock correction: nothing is resent, waited for or refreshed.
const FLOW_BUDGET: RetryBudget = {
  mayResend: false,
  retries: 0,
  retryLimit: 0,
  waitedMs: 0,
  maxWaitMs: 0,
  rateLimitWaits: 0,
  onLimit: 'throw',
  clockCorrected: false,
  refreshed: true,
};

/**
 * Sends one signed flow request through the client's transport (a `fetch`, with the same
 * per-attempt timeout as `XClient`). On a stale timestamp, the same decision as `XClient`'s
 * ({@link nextStep}) corrects the clock from X's `Date` header and signs again, once.
 */
async function xRequest(options: OAuth1FlowOptions, call: SignedCall): Promise<FlowResponse> {
  const consumer = checkKeyAndSecret(options.consumer, 'consumer');
  const base = baseUrlOf(options.baseUrl);
  const url = new URL(`${base.pathname.replace(/\/+$/, '')}${call.path}`, base.origin);
  for (const [name, value] of Object.entries(call.query ?? {}))
    url.searchParams.append(name, value);
  const endpoint = `${call.method} ${call.path}`;
  const transport = fetchTransport(options.fetch ?? globalThis.fetch.bind(globalThis));
  const clock = new CorrectedClock(options.now ?? Date.now);
  const { signal } = options;
  let budget = FLOW_BUDGET;
  for (;;) {
    signal?.throwIfAborted();
    assertTlsVerified(options.allowInsecureTls === true);
    const signed = await signRequest({
      method: call.method,
      url,
      consumer,
      token: call.token,
      callback: call.callback,
      verifier: call.verifier,
      timestamp: Math.floor(clock.now() / 1000),
    });
    let response: TransportResponse;
    try {
      response = await transport.send({
        method: call.method,
        url,
        headers: { authorization: signed.authorization },
        body: undefined,
        signal,
        timeoutMs: FLOW_TIMEOUT_MS,
      });
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      throw transportError(error, endpoint, FLOW_TIMEOUT_MS);
    }
    const answer = { status: response.status, text: response.text, endpoint };
    if (answer.status !== 401) return answer;
    const dateHeader = response.headers.get('date') ?? undefined;
    const outcome: AttemptOutcome = {
      error: failure(answer),
      status: answer.status,
      oauth1: true,
      now: clock.now(),
      serverNow: parseHttpDate(dateHeader),
      retryAfterMs: undefined,
      rateLimitResetKnown: false,
    };
    const step = nextStep(outcome, budget);
    if (step.kind !== 'correct-clock') return answer;
    budget = spend(budget, step);
    clock.learn(dateHeader);
  }
}

function failure({ status, text, endpoint }: FlowResponse): XApiError {
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // X answers some OAuth errors in plain text.
  }
  return parseXError(status, body, { endpoint });
}

function formField(form: URLSearchParams, name: string, endpoint: string): string {
  const value = form.get(name);
  if (value === null || value === '') {
    throw new XApiError(XApiErrorCode.InvalidResponse, `${endpoint} answered without ${name}.`, {
      endpoint,
    });
  }
  return value;
}

/**
 * Step 1: `POST oauth/request_token` with `oauth_callback` (a registered URL, or `oob` for the
 * PIN flow) and optionally `x_auth_access_type`. Seal the result (`sealRequestToken`) into a
 * cookie, and send the user to {@link authorizeUrl} or {@link authenticateUrl}.
 *
 * @throws {XApiError} `X_CALLBACK_NOT_APPROVED` (415), `X_AUTHENTICATION_FAILED` (32), …
 * @see https://docs.x.com/resources/fundamentals/authentication/api-reference#post-oauth-request-token
 */
export async function getRequestToken(options: GetRequestTokenOptions): Promise<RequestToken> {
  const callback = checkString(options?.callback, 'callback');
  if (
    options.accessType !== undefined &&
    options.accessType !== 'read' &&
    options.accessType !== 'write'
  ) {
    throw new XApiError(XApiErrorCode.InvalidArgument, "accessType must be 'read' or 'write'.");
  }
  const answer = await xRequest(options, {
    method: 'POST',
    path: '/oauth/request_token',
    callback,
    ...(options.accessType === undefined
      ? {}
      : { query: { x_auth_access_type: options.accessType } }),
  });
  return processRequestTokenResponse(answer);
}

/** Reads X's answer to `POST oauth/request_token`; pure. */
function processRequestTokenResponse(answer: FlowResponse): RequestToken {
  const { status, text, endpoint } = answer;
  if (status !== 200) throw failure(answer);
  const form = new URLSearchParams(text);
  const token = new RequestToken(
    formField(form, 'oauth_token', endpoint),
    formField(form, 'oauth_token_secret', endpoint),
    form.get('oauth_callback_confirmed') === 'true',
  );
  if (!token.callbackConfirmed) {
    throw new XApiError(
      XApiErrorCode.InvalidResponse,
      `${endpoint} did not confirm the callback (oauth_callback_confirmed).`,
      { endpoint },
    );
  }
  return token;
}

function consentUrl(
  page: string,
  token: string | KeyAndSecret,
  options: AuthorizeUrlOptions,
): string {
  const key = typeof token === 'string' ? token : token?.key;
  const url = new URL(page, baseUrlOf(options.baseUrl));
  url.searchParams.set('oauth_token', checkString(key, 'request token'));
  if (options.forceLogin === true) url.searchParams.set('force_login', 'true');
  if (options.screenName !== undefined) url.searchParams.set('screen_name', options.screenName);
  return url.href;
}

/**
 * Step 2: the consent page (`GET oauth/authorize`), where the user approves the app every
 * time. Desktop and PIN-flow apps must use this one.
 *
 * @see https://docs.x.com/resources/fundamentals/authentication/api-reference#get-oauth-authorize
 */
export function authorizeUrl(
  requestToken: string | KeyAndSecret,
  options: AuthorizeUrlOptions = {},
): string {
  return consentUrl('/oauth/authorize', requestToken, options);
}

/**
 * Step 2, "Sign in with X" (`GET oauth/authenticate`): a user who already approved the app is
 * sent straight back, unless `forceLogin`.
 *
 * @see https://docs.x.com/resources/fundamentals/authentication/api-reference#get-oauth-authenticate
 */
export function authenticateUrl(
  requestToken: string | KeyAndSecret,
  options: AuthorizeUrlOptions = {},
): string {
  return consentUrl('/oauth/authenticate', requestToken, options);
}

/**
 * The verifier from X's redirect to the callback, after checking that it belongs to
 * `requestToken` (constant-time). Throws `X_ACCESS_DENIED` when the user cancelled
 * (`denied=`), `X_CALLBACK_MISMATCH` when the callback is for another request token or has no
 * verifier.
 *
 * @see https://docs.x.com/resources/fundamentals/authentication/oauth-1-0a/obtaining-user-access-tokens
 */
export function handleOAuth1Callback(
  callbackUrl: string | URL,
  requestToken: KeyAndSecret,
): string {
  const url = new URL(String(callbackUrl), 'http://callback.invalid');
  const denied = url.searchParams.get('denied');
  if (denied !== null) {
    throw new XApiError(XApiErrorCode.AccessDenied, 'The user cancelled the authorization on X.');
  }
  const token = url.searchParams.get('oauth_token');
  const verifier = url.searchParams.get('oauth_verifier');
  if (
    token === null ||
    verifier === null ||
    verifier === '' ||
    !constantTimeEqual(token, requestToken.key)
  ) {
    throw new XApiError(
      XApiErrorCode.CallbackMismatch,
      'The callback does not carry a verifier for this request token: start the sign-in again.',
    );
  }
  return verifier;
}

/**
 * Step 3: `POST oauth/access_token` with the request token and the verifier (or the PIN).
 * Resolves to the user's access token, id and screen name. The request token is spent.
 *
 * @throws {XApiError} `X_INVALID_VERIFIER` for a wrong verifier or PIN, `X_INVALID_TOKEN` for a
 * spent or expired request token.
 * @see https://docs.x.com/resources/fundamentals/authentication/api-reference#post-oauth-access-token
 */
export async function getAccessToken(options: GetAccessTokenOptions): Promise<AccessToken> {
  const requestToken = checkKeyAndSecret(options?.requestToken, 'requestToken');
  const verifier = checkString(options.verifier, 'verifier');
  const answer = await xRequest(options, {
    method: 'POST',
    path: '/oauth/access_token',
    token: requestToken,
    verifier,
  });
  return processAccessTokenResponse(answer);
}

/** Reads X's answer to `POST oauth/access_token`; pure. */
function processAccessTokenResponse(answer: FlowResponse): AccessToken {
  const { status, text, endpoint } = answer;
  if (status === 401 && !text.trimStart().startsWith('{')) {
    throw new XApiError(
      XApiErrorCode.InvalidVerifier,
      'X refused the verifier (or PIN) for this request token; the request token is spent now: start the sign-in again.',
      { status, endpoint },
    );
  }
  if (status !== 200) throw failure(answer);
  const form = new URLSearchParams(text);
  return new AccessToken(
    formField(form, 'oauth_token', endpoint),
    formField(form, 'oauth_token_secret', endpoint),
    formField(form, 'user_id', endpoint),
    formField(form, 'screen_name', endpoint),
  );
}

/**
 * Revokes a user's access token (`POST 1.1/oauth/invalidate_token`, signed with it). After
 * this, requests with the token fail with `X_INVALID_TOKEN`.
 *
 * @see https://docs.x.com/resources/fundamentals/authentication/api-reference#post-oauth-invalidate-token
 */
export async function invalidateOAuth1Token(options: InvalidateOAuth1TokenOptions): Promise<void> {
  const token = checkKeyAndSecret(options?.token, 'token');
  const answer = await xRequest(options, {
    method: 'POST',
    path: '/1.1/oauth/invalidate_token',
    token,
  });
  if (answer.status !== 200) throw failure(answer);
}
