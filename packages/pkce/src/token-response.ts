import { errorFromResponse, type TokenOperation } from './error-response.js';
import { PkceError, PkceErrorCode } from './errors.js';
import { isJsonObject, member, readResponseBody, stringMember } from './response-body.js';
import { type GrantedScope, parseScopeString } from './scopes.js';
import { TokenSet } from './token-set.js';
import type { Clock } from './types.js';

/**
 * Options of {@link processTokenResponse}.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.1
 */
export interface ProcessTokenResponseOptions {
  /** The request the answer belongs to; decides what an error means. */
  grantType: 'authorization_code' | 'refresh_token';
  /** Clock for `expiresAt`; `Date.now` by default. */
  now?: Clock | undefined;
  /** Scopes to assume when the answer has no `scope` (RFC 6749 §5.1: then they are unchanged). */
  fallbackScopes?: readonly GrantedScope[] | undefined;
}

/**
 * Validates and parses an answer of the token endpoint into a {@link TokenSet}, or throws the
 * {@link PkceError} it stands for. Pure apart from reading the body: test it with a
 * `new Response(...)`.
 *
 * X's answer: `{"token_type":"bearer","expires_in":7200,"access_token":"…","scope":"…",
 * "refresh_token":"…"}` (the refresh token only with `offline.access`).
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.1
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.2
 */
export async function processTokenResponse(
  response: Response,
  options: ProcessTokenResponseOptions,
): Promise<TokenSet> {
  const now = (options.now ?? Date.now)();
  const body = await readResponseBody(response);
  const operation: TokenOperation = options.grantType;
  if (response.status !== 200) throw errorFromResponse(response, body, operation, now);
  const invalid = (what: string) =>
    new PkceError(PkceErrorCode.InvalidResponse, `The token endpoint answered 200 but ${what}.`, {
      status: response.status,
    });
  if (!body.isJson) throw invalid('the body is not JSON');
  const json = body.json;
  if (!isJsonObject(json)) throw invalid('the body is not a JSON object');

  const accessToken = stringMember(json, 'access_token');
  if (accessToken === undefined || accessToken === '') throw invalid('without an access_token');

  const tokenType = stringMember(json, 'token_type');
  // RFC 6749 §7.1: a client must not use a token whose type it does not understand.
  if (tokenType === undefined || tokenType.toLowerCase() !== 'bearer') {
    throw invalid('with a token_type other than "bearer"');
  }

  const expiresIn = member(json, 'expires_in');
  if (typeof expiresIn !== 'number' || !Number.isFinite(expiresIn) || expiresIn <= 0) {
    throw invalid('without a positive expires_in');
  }

  const scopeValue = member(json, 'scope');
  if (scopeValue !== undefined && typeof scopeValue !== 'string')
    throw invalid('with a scope that is not a string');
  const scopes =
    scopeValue === undefined ? [...(options.fallbackScopes ?? [])] : parseScopeString(scopeValue);

  const refreshValue = member(json, 'refresh_token');
  if (refreshValue !== undefined && (typeof refreshValue !== 'string' || refreshValue === '')) {
    throw invalid('with a refresh_token that is not a non-empty string');
  }

  const fields = {
    accessToken,
    expiresAt: now + expiresIn * 1000,
    scopes,
    tokenType: 'bearer' as const,
  };
  return refreshValue === undefined
    ? new TokenSet(fields)
    : new TokenSet({ ...fields, refreshToken: refreshValue });
}
