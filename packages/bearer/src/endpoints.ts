import { isSecureEndpoint } from '@x-oauth/internal';
import { BearerError, BearerErrorCode } from './errors.js';

/**
 * X's API host, where `POST oauth2/token` and `POST oauth2/invalidate_token` live.
 *
 * @see https://docs.x.com/resources/fundamentals/authentication/api-reference#post-oauth2-token
 */
export const DEFAULT_BASE_URL = 'https://api.x.com';

/**
 * Path of the token endpoint under the base URL.
 *
 * @see https://docs.x.com/resources/fundamentals/authentication/api-reference#post-oauth2-token
 */
export const TOKEN_PATH = '/oauth2/token';

/**
 * Path of the invalidation endpoint under the base URL.
 *
 * @see https://docs.x.com/resources/fundamentals/authentication/api-reference#post-oauth2-invalidate-token
 */
export const INVALIDATE_TOKEN_PATH = '/oauth2/invalidate_token';

function invalidBaseUrl(problem: string): BearerError {
  return new BearerError(BearerErrorCode.InvalidArgument, `\`baseUrl\` ${problem}.`);
}

/**
 * The URL of `path` under `baseUrl` (default {@link DEFAULT_BASE_URL}), refused before anything
 * is sent when it could leak credentials: X requires HTTPS for every request that obtains or
 * uses a token, so plain `http:` is allowed only to a loopback host (a local emulator).
 *
 * @throws {BearerError} `BEARER_INVALID_ARGUMENT` for a malformed base URL,
 * `BEARER_INSECURE_ENDPOINT` for `http:` to a remote host.
 * @see https://docs.x.com/resources/fundamentals/authentication/oauth-2-0/application-only
 */
export function endpointUrl(baseUrl: string | URL | undefined, path: string): URL {
  let base: URL;
  if (baseUrl === undefined) {
    base = new URL(DEFAULT_BASE_URL);
  } else if (baseUrl instanceof URL) {
    base = new URL(baseUrl.href);
  } else if (typeof baseUrl === 'string') {
    try {
      base = new URL(baseUrl);
    } catch {
      throw invalidBaseUrl('is not an absolute URL; pass e.g. "https://api.x.com"');
    }
  } else {
    throw invalidBaseUrl('must be a string or a URL');
  }
  if (base.protocol !== 'https:' && base.protocol !== 'http:') {
    throw invalidBaseUrl(`has the scheme "${base.protocol}"; use https:`);
  }
  // Userinfo would be sent to the server as Basic credentials by some fetch implementations
  // and would end up in error messages; the keys belong in `consumer`.
  if (base.username !== '' || base.password !== '') {
    throw invalidBaseUrl('must not carry user:password@; pass the keys as `consumer`');
  }
  if (base.search !== '' || base.hash !== '') {
    throw invalidBaseUrl('must not have a query or a fragment');
  }
  if (!isSecureEndpoint(base)) {
    throw new BearerError(
      BearerErrorCode.InsecureEndpoint,
      `Refusing to send credentials to ${base.origin} over plain http: X requires HTTPS, and http: is allowed only to a loopback host (localhost, 127.0.0.1, [::1]). Use an https: base URL.`,
    );
  }
  const prefix = base.pathname.replace(/\/+$/, '');
  return new URL(`${base.origin}${prefix}${path}`);
}

/**
 * The URL as it may appear in messages: origin and path, which never carry a secret here
 * (userinfo and query are refused by {@link endpointUrl}).
 *
 * @see https://url.spec.whatwg.org/#concept-url-origin
 */
export function describeUrl(url: URL): string {
  return `${url.origin}${url.pathname}`;
}
