import { checkToken } from './credentials.js';

/**
 * The `Authorization` header value for a bearer token: `Bearer <token>`, with the token sent
 * exactly as X issued it (its `%`-escapes are part of it; never decode them).
 *
 * @example
 * await fetch(url, { headers: { authorization: bearerAuthorization(token) } });
 * @throws {BearerError} `BEARER_INVALID_ARGUMENT` when `token` is not a header-safe string.
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-2.1
 * @see https://docs.x.com/resources/fundamentals/authentication/oauth-2-0/application-only
 */
export function bearerAuthorization(token: string): string {
  return `Bearer ${checkToken(token, 'token')}`;
}
