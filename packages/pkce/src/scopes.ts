import { PkceError, PkceErrorCode } from './errors.js';

/**
 * Every OAuth 2.0 scope X documents for the Authorization Code Flow with PKCE.
 *
 * @see https://docs.x.com/fundamentals/authentication/oauth-2-0/authorization-code
 */
export const X_SCOPES = [
  'tweet.read',
  'tweet.write',
  'tweet.moderate.write',
  'users.email',
  'users.read',
  'follows.read',
  'follows.write',
  'offline.access',
  'space.read',
  'mute.read',
  'mute.write',
  'like.read',
  'like.write',
  'list.read',
  'list.write',
  'block.read',
  'block.write',
  'bookmark.read',
  'bookmark.write',
  'dm.read',
  'dm.write',
  'media.write',
] as const;

/**
 * One of X's OAuth 2.0 scopes; see {@link X_SCOPES}.
 *
 * @see https://docs.x.com/fundamentals/authentication/oauth-2-0/authorization-code
 */
export type XScope = (typeof X_SCOPES)[number];

/**
 * A scope the server granted. Usually an {@link XScope}; kept as a string otherwise, so a scope
 * X adds later is reported rather than dropped.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-3.3
 */
// `string & {}` keeps editor completion for the known names while accepting any string.
export type GrantedScope = XScope | (string & {});

const KNOWN_SCOPES: ReadonlySet<string> = new Set(X_SCOPES);

/**
 * True when `scope` is one of X's OAuth 2.0 scopes.
 *
 * @see https://docs.x.com/fundamentals/authentication/oauth-2-0/authorization-code
 */
export function isXScope(scope: unknown): scope is XScope {
  return typeof scope === 'string' && KNOWN_SCOPES.has(scope);
}

/**
 * Checks a requested scope list: not empty, only X's scopes. Duplicates are dropped, order
 * kept. Throws `PKCE_INVALID_SCOPE` otherwise.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-3.3
 */
export function validateScopes(scopes: readonly unknown[]): readonly XScope[] {
  if (!Array.isArray(scopes) || scopes.length === 0) {
    throw new PkceError(
      PkceErrorCode.InvalidScope,
      'No scope was asked for: pass at least one of X_SCOPES (for example "tweet.read" and "users.read").',
    );
  }
  const unique: XScope[] = [];
  for (const scope of scopes) {
    if (!isXScope(scope)) {
      const shown = typeof scope === 'string' ? JSON.stringify(scope.slice(0, 40)) : typeof scope;
      throw new PkceError(
        PkceErrorCode.InvalidScope,
        `Unknown scope ${shown}: X's OAuth 2.0 scopes are ${X_SCOPES.join(', ')}.`,
      );
    }
    if (!unique.includes(scope)) unique.push(scope);
  }
  return unique;
}

/**
 * Splits a `scope` parameter (space-delimited, RFC 6749 §3.3) into its scopes.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-3.3
 */
export function parseScopeString(scope: string): GrantedScope[] {
  return scope.split(' ').filter((part) => part.length > 0);
}
