import { isSecureEndpoint } from '@x-oauth/internal';
import { PkceError, PkceErrorCode } from './errors.js';

/**
 * The three OAuth 2.0 endpoints a client talks to.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-3
 */
export interface OAuth2Endpoints {
  /** Where the user is sent to consent (the browser navigates here). */
  readonly authorize: string;
  /** Where codes and refresh tokens are exchanged for tokens (RFC 6749 §3.2). */
  readonly token: string;
  /** Where tokens are revoked (RFC 7009). */
  readonly revoke: string;
}

/**
 * X's production endpoints.
 *
 * @see https://docs.x.com/fundamentals/authentication/oauth-2-0/authorization-code
 */
export const X_ENDPOINTS: OAuth2Endpoints = Object.freeze({
  authorize: 'https://x.com/i/oauth2/authorize',
  token: 'https://api.x.com/2/oauth2/token',
  revoke: 'https://api.x.com/2/oauth2/revoke',
});

/**
 * The three endpoints on one origin with X's paths (`/i/oauth2/authorize`, `/2/oauth2/token`,
 * `/2/oauth2/revoke`), as `@x-oauth/emulator` or a same-origin proxy serves them.
 *
 * @example endpointsFromBaseUrl('http://127.0.0.1:8080')
 * @see https://docs.x.com/fundamentals/authentication/oauth-2-0/authorization-code
 */
export function endpointsFromBaseUrl(baseUrl: string | URL): OAuth2Endpoints {
  const base = parseUrl(String(baseUrl), 'baseUrl');
  return Object.freeze({
    authorize: new URL('/i/oauth2/authorize', base).href,
    token: new URL('/2/oauth2/token', base).href,
    revoke: new URL('/2/oauth2/revoke', base).href,
  });
}

/**
 * X's endpoints with the given ones replaced.
 *
 * @see https://docs.x.com/fundamentals/authentication/oauth-2-0/authorization-code
 */
export function resolveEndpoints(overrides: Partial<OAuth2Endpoints> | undefined): OAuth2Endpoints {
  // Field by field, so `{ token: undefined }` from JavaScript keeps X's endpoint.
  return {
    authorize: overrides?.authorize ?? X_ENDPOINTS.authorize,
    token: overrides?.token ?? X_ENDPOINTS.token,
    revoke: overrides?.revoke ?? X_ENDPOINTS.revoke,
  };
}

/**
 * Parses an endpoint and refuses anything but `https:` (or `http:` to a loopback host), before
 * a byte is sent: codes, verifiers and tokens must never cross the network in clear.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-3.1
 * @see https://www.rfc-editor.org/rfc/rfc9700#section-2.6
 */
export function secureEndpointUrl(endpoint: string, name: keyof OAuth2Endpoints): URL {
  const url = parseUrl(endpoint, `endpoints.${name}`);
  if (!isSecureEndpoint(url)) {
    throw new PkceError(
      PkceErrorCode.InsecureEndpoint,
      `The ${name} endpoint must use https: (plain http: is allowed only to a loopback host such as 127.0.0.1 or localhost).`,
    );
  }
  if (url.username !== '' || url.password !== '') {
    throw new PkceError(
      PkceErrorCode.InvalidArgument,
      `The ${name} endpoint must not carry user:password@; pass the client secret as clientSecret.`,
    );
  }
  return url;
}

function parseUrl(value: string, name: string): URL {
  try {
    return new URL(value);
  } catch {
    throw new PkceError(PkceErrorCode.InvalidArgument, `${name} is not an absolute URL.`);
  }
}
