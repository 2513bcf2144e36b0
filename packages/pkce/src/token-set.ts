import { describeRedacted, inspectSymbol, REDACTED } from '@x-oauth/internal';
import { PkceError, PkceErrorCode } from './errors.js';
import type { GrantedScope } from './scopes.js';
import type { Clock } from './types.js';

/**
 * The fields of a {@link TokenSet}.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.1
 */
export interface TokenSetFields {
  /** The access token, sent as `Authorization: Bearer …`. */
  readonly accessToken: string;
  /** The refresh token; present only when `offline.access` was granted. */
  readonly refreshToken?: string;
  /** When the access token expires, in milliseconds since the epoch. */
  readonly expiresAt: number;
  /** The scopes granted (the server's `scope`, or the requested ones when it sent none). */
  readonly scopes: readonly GrantedScope[];
  /** Always `bearer`, X's only token type. */
  readonly tokenType: 'bearer';
}

/**
 * The tokens one authorization yields. Immutable (frozen): a refresh returns a new set and
 * never changes this one, whose refresh token is then dead, so store the new set as a whole.
 *
 * The fields read as usual, but `JSON.stringify`, `util.inspect` and `console.log` show the
 * tokens redacted, so a stray log line leaks nothing. To store a set on purpose, use
 * {@link tokenSetToStorable} (and encrypt what it returns).
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.1
 */
export class TokenSet implements TokenSetFields {
  readonly accessToken: string;
  // `declare`: no class field is emitted, so a set without a refresh token has no such key.
  declare readonly refreshToken?: string;
  readonly expiresAt: number;
  readonly scopes: readonly GrantedScope[];
  readonly tokenType: 'bearer';

  constructor(fields: TokenSetFields) {
    this.accessToken = fields.accessToken;
    if (fields.refreshToken !== undefined) this.refreshToken = fields.refreshToken;
    this.expiresAt = fields.expiresAt;
    this.scopes = Object.freeze([...fields.scopes]);
    this.tokenType = fields.tokenType;
    Object.freeze(this);
  }

  /** A loggable copy: the tokens replaced by `[redacted]`, everything else kept. */
  toJSON(): Record<string, unknown> {
    return {
      accessToken: REDACTED,
      refreshToken: this.refreshToken === undefined ? undefined : REDACTED,
      expiresAt: new Date(this.expiresAt).toISOString(),
      scopes: this.scopes,
      tokenType: this.tokenType,
    };
  }

  /** What `util.inspect` and `console.log` print in Node: the redacted copy. */
  [inspectSymbol](): string {
    return describeRedacted('TokenSet', this.toJSON());
  }
}

/**
 * True when the access token has expired, or will within `skewMs` (use a minute or so, so a
 * request does not start with a token that dies in flight).
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.1
 */
export function isExpired(
  set: Pick<TokenSetFields, 'expiresAt'>,
  skewMs = 0,
  now: Clock = Date.now,
): boolean {
  return now() + skewMs >= set.expiresAt;
}

/**
 * True when the set holds a refresh token (X issues one only with `offline.access`).
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-6
 */
export function canRefresh(set: TokenSetFields): boolean {
  return set.refreshToken !== undefined && set.scopes.includes('offline.access');
}

/**
 * A token set as plain JSON data, for storage. Holds the tokens in clear: encrypt it.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.1
 */
export interface StorableTokenSet {
  readonly version: 1;
  readonly accessToken: string;
  readonly refreshToken?: string;
  readonly expiresAt: number;
  readonly scopes: readonly string[];
  readonly tokenType: 'bearer';
}

/**
 * The explicit way to serialize a set for storage (a database row, an encrypted cookie):
 * plain data with the tokens in clear, unlike `JSON.stringify(set)`, which redacts them.
 * Encrypt the result at rest (`sealValue` does, for a cookie).
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.1
 */
export function tokenSetToStorable(set: TokenSet): StorableTokenSet {
  const storable: StorableTokenSet = {
    version: 1,
    accessToken: set.accessToken,
    expiresAt: set.expiresAt,
    scopes: [...set.scopes],
    tokenType: set.tokenType,
  };
  return set.refreshToken === undefined
    ? storable
    : { ...storable, refreshToken: set.refreshToken };
}

/**
 * Rebuilds a {@link TokenSet} from what {@link tokenSetToStorable} returned (after a JSON round
 * trip, for example). Throws `PKCE_INVALID_ARGUMENT` when the data is not such a set.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.1
 */
export function tokenSetFromStorable(value: unknown): TokenSet {
  const invalid = (what: string) =>
    new PkceError(PkceErrorCode.InvalidArgument, `Not a stored token set: ${what}.`);
  if (typeof value !== 'object' || value === null) throw invalid('not an object');
  if (!('version' in value) || value.version !== 1) throw invalid('unknown version');
  if (
    !('accessToken' in value) ||
    typeof value.accessToken !== 'string' ||
    value.accessToken === ''
  )
    throw invalid('accessToken missing');
  if (
    !('expiresAt' in value) ||
    typeof value.expiresAt !== 'number' ||
    !Number.isFinite(value.expiresAt)
  )
    throw invalid('expiresAt missing');
  if (!('tokenType' in value) || value.tokenType !== 'bearer')
    throw invalid('tokenType is not bearer');
  if (
    !('scopes' in value) ||
    !Array.isArray(value.scopes) ||
    !value.scopes.every((scope: unknown) => typeof scope === 'string')
  )
    throw invalid('scopes missing');
  const scopes: string[] = value.scopes.filter(
    (scope: unknown): scope is string => typeof scope === 'string',
  );
  const fields = {
    accessToken: value.accessToken,
    expiresAt: value.expiresAt,
    scopes,
    tokenType: 'bearer' as const,
  };
  if ('refreshToken' in value && value.refreshToken !== undefined) {
    if (typeof value.refreshToken !== 'string' || value.refreshToken === '')
      throw invalid('refreshToken malformed');
    return new TokenSet({ ...fields, refreshToken: value.refreshToken });
  }
  return new TokenSet(fields);
}
