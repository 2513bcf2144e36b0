import { authenticateClient } from './client-authentication.js';
import type { OAuth2Endpoints } from './endpoints.js';
import { resolveEndpoints, secureEndpointUrl } from './endpoints.js';
import { PkceError, PkceErrorCode } from './errors.js';
import type { OAuth2Client, RequestOptions } from './types.js';

/**
 * POSTs an `application/x-www-form-urlencoded` body to the token or revocation endpoint,
 * authenticated as `client`, and returns the raw `Response`. The endpoint is checked before
 * anything is sent. A `fetch` failure becomes a retryable `PKCE_NETWORK_ERROR`; an abort through
 * `signal` rethrows the abort reason.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-3.2
 */
export async function postForm(
  endpoint: 'token' | 'revoke',
  client: OAuth2Client,
  parameters: URLSearchParams,
  options: RequestOptions,
): Promise<Response> {
  const endpoints: OAuth2Endpoints = resolveEndpoints(options.endpoints);
  const url = secureEndpointUrl(endpoints[endpoint], endpoint);
  const headers = new Headers({
    accept: 'application/json',
    'content-type': 'application/x-www-form-urlencoded',
  });
  authenticateClient(client, headers, parameters);

  const init: RequestInit = {
    method: 'POST',
    headers,
    body: parameters.toString(),
    // A redirect would replay the body (a code, a verifier or a token) to another URL with 307
    // or 308; a token endpoint has no reason to redirect, so the redirect is not followed.
    redirect: 'manual',
  };
  if (options.signal !== undefined) init.signal = options.signal;
  const send = options.fetch ?? globalThis.fetch;
  try {
    return await send(url.href, init);
  } catch (error) {
    if (options.signal?.aborted) throw options.signal.reason;
    throw new PkceError(
      PkceErrorCode.NetworkError,
      `Could not reach the ${endpoint} endpoint (${url.origin}): a network error, retry later.`,
      { retryable: true, cause: error },
    );
  }
}

/**
 * Awaits `work` (reading and parsing an answer); when `signal` was aborted meanwhile, throws
 * the abort reason rather than the network error the abort caused, as `fetch` itself does.
 *
 * @see https://dom.spec.whatwg.org/#abortsignal-reason
 */
export async function unlessAborted<T>(
  signal: AbortSignal | undefined,
  work: Promise<T>,
): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (signal?.aborted) throw signal.reason;
    throw error;
  }
}
