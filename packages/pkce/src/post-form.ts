import { sendOnce } from '@x-oauth/internal';
import { authenticateClient } from './client-authentication.js';
import type { OAuth2Endpoints } from './endpoints.js';
import { resolveEndpoints, secureEndpointUrl } from './endpoints.js';
import { PkceError, PkceErrorCode } from './errors.js';
import type { OAuth2Client, RequestOptions } from './types.js';

/**
 * POSTs an `application/x-www-form-urlencoded` body to the token or revocation endpoint,
 * authenticated as `client`, and returns the raw `Response`. The endpoint is checked before
 * anything is sent. A `fetch` failure becomes a retryable `PKCE_NETWORK_ERROR`; an abort through
 * `signal` rethrows the abort reason. Redirects are not followed.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-3.2
 */
export function postForm(
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

  return sendOnce(
    options.fetch,
    url,
    { method: 'POST', headers, body: parameters.toString() },
    options.signal,
    (cause) =>
      new PkceError(
        PkceErrorCode.NetworkError,
        `Could not reach the ${endpoint} endpoint (${url.origin}): a network error, retry later.`,
        { retryable: true, cause },
      ),
  );
}
