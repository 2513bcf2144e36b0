// A record's secret part as the JSON that gets encrypted. The plain parts (owner, version,
// status, expiry) live in the row's own columns; the kind is in both, and bound by the AAD.

import { TokenSet } from '@x-oauth/pkce';
import type { RecordKind } from './backend.js';
import { TokenStoreError, TokenStoreErrorCode } from './errors.js';
import { type OAuth1AccessLevel, OAuth1Credentials } from './types.js';

/** The secret content of a record, decrypted. */
export type RecordPayload =
  | { readonly kind: 'oauth1'; readonly oauth1: OAuth1Credentials }
  | { readonly kind: 'oauth2'; readonly tokenSet: TokenSet };

const FORMAT = 1;
// The `version` of pkce's storable token set, which the payload embeds.
const STORABLE_VERSION = 1;
const ACCESS_LEVELS: readonly OAuth1AccessLevel[] = ['read', 'read-write', 'read-write-dm'];

/**
 * The plaintext JSON of a payload, tokens in clear: only ever passed to the envelope.
 *
 * The stored OAuth 1.0a fields keep the names they had before the API said `{ key, secret }`
 * (`token`, `tokenSecret`): rows written by earlier versions read as they are, and earlier
 * versions still read rows written now (a rolling deploy runs both). Only the API renamed them.
 */
export function encodeRecordPayload(payload: RecordPayload): string {
  if (payload.kind === 'oauth1') {
    const { key, secret, xUserId, screenName, accessLevel } = payload.oauth1;
    return JSON.stringify({
      format: FORMAT,
      kind: 'oauth1',
      oauth1: { token: key, tokenSecret: secret, xUserId, screenName, accessLevel },
    });
  }
  // pkce's storable form (`tokenSetToStorable`), field for field, without its intermediate
  // copies, and written out: the same text JSON.stringify makes of
  // `{ format, kind, tokenSet: { version, accessToken, expiresAt, scopes, tokenType,
  // refreshToken } }` (an undefined refresh token left out, as that form does), for about half
  // its cost on Node 20 (every put runs it). The tests hold both to the same text.
  const { accessToken, expiresAt, scopes, tokenType, refreshToken } = payload.tokenSet;
  const refresh = refreshToken === undefined ? '' : `,"refreshToken":${jsonString(refreshToken)}`;
  let scopeList = '';
  for (const scope of scopes) scopeList += `${scopeList === '' ? '' : ','}${jsonString(scope)}`;
  return `{"format":${FORMAT},"kind":"oauth2","tokenSet":{"version":${STORABLE_VERSION},"accessToken":${jsonString(accessToken)},"expiresAt":${jsonNumber(expiresAt)},"scopes":[${scopeList}],"tokenType":${jsonString(tokenType)}${refresh}}}`;
}

// Printable ASCII but `"` and `\`: what JSON.stringify writes as it is, between quotes. X's
// tokens and scopes are all such text, and a test is cheaper than a call into the serializer.
const JSON_VERBATIM = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

/** `JSON.stringify(text)`, without the call when no character needs escaping. */
function jsonString(text: string): string {
  return JSON_VERBATIM.test(text) ? `"${text}"` : JSON.stringify(text);
}

/** `JSON.stringify(value)` of a number: its text when finite, else `null` (ECMA-262 §25.5.2.2). */
function jsonNumber(value: number): string {
  return Number.isFinite(value) ? `${value}` : 'null';
}

/**
 * Parses decrypted plaintext back into a payload of the expected kind, narrowing the unknown
 * JSON step by step. Throws `TOKEN_STORE_CORRUPT_ROW` (without echoing any content).
 */
export function decodeRecordPayload(plaintext: string, expectedKind: RecordKind): RecordPayload {
  let value: unknown;
  try {
    value = JSON.parse(plaintext);
  } catch {
    throw corrupt('the decrypted content is not JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw corrupt('the decrypted content is not an object');
  }
  if (!('format' in value) || value.format !== FORMAT) throw corrupt('unknown content format');
  if (!('kind' in value) || value.kind !== expectedKind) {
    throw corrupt('the content kind differs from the row kind');
  }
  if (expectedKind === 'oauth1') {
    if (!('oauth1' in value)) throw corrupt('OAuth 1.0a credentials missing');
    return { kind: 'oauth1', oauth1: parseStoredOAuth1(value.oauth1) };
  }
  if (!('tokenSet' in value)) throw corrupt('token set missing');
  const stored = value.tokenSet;
  if (
    typeof stored !== 'object' ||
    stored === null ||
    Reflect.get(stored, 'version') !== STORABLE_VERSION
  ) {
    throw corrupt('malformed token set');
  }
  return { kind: 'oauth2', tokenSet: narrowTokenSet(stored, malformedTokenSet) };
}

/**
 * Validates OAuth 1.0a credentials given by a caller and returns a frozen, redacting
 * {@link OAuth1Credentials}.
 */
export function parseOAuth1(value: unknown): OAuth1Credentials {
  if (
    typeof value === 'object' &&
    value !== null &&
    !('key' in value) &&
    ('token' in value || 'tokenSecret' in value)
  ) {
    throw invalidArgument(
      'OAuth 1.0a credentials are { key, secret, xUserId, screenName, accessLevel } since 0.1: rename token to key and tokenSecret to secret',
    );
  }
  return readOAuth1(value, 'key', 'secret', invalidArgument);
}

// A row's stored fields (see encodeRecordPayload for why they keep the old names).
function parseStoredOAuth1(value: unknown): OAuth1Credentials {
  return readOAuth1(value, 'token', 'tokenSecret', corrupt);
}

function readOAuth1(
  value: unknown,
  keyField: string,
  secretField: string,
  fail: (what: string) => Error,
): OAuth1Credentials {
  if (typeof value !== 'object' || value === null) throw fail('credentials must be an object');
  const text = (name: string): string => {
    const field: unknown = Reflect.get(value, name);
    if (typeof field !== 'string' || field === '') throw fail(`${name} must be a non-empty string`);
    return field;
  };
  const key = text(keyField);
  const secret = text(secretField);
  const xUserId = text('xUserId');
  const screenName = text('screenName');
  const accessLevel = text('accessLevel');
  const level = ACCESS_LEVELS.find((candidate) => candidate === accessLevel);
  if (level === undefined) throw fail('accessLevel must be read, read-write or read-write-dm');
  return new OAuth1Credentials({ key, secret, xUserId, screenName, accessLevel: level });
}

/**
 * Validates a token set given by a caller (a `TokenSet`, or any object with its fields) and
 * returns a frozen, redacting `TokenSet`.
 */
export function parseTokenSet(value: unknown): TokenSet {
  // A new TokenSet for anything but a frozen TokenSet of the pkce copy this package uses (a
  // caller's from another copy, a subclass, a plain object).
  return narrowTokenSet(value, invalidTokenSet);
}

// The errors of narrowTokenSet's two callers, made only when one is thrown.
const malformedTokenSet = () => corrupt('malformed token set');
const invalidTokenSet = () =>
  invalidArgument(
    'tokenSet must be a TokenSet (accessToken, expiresAt, scopes, tokenType "bearer")',
  );

/**
 * The checks of pkce's `tokenSetFromStorable` (bar the storable `version`), written out:
 * its generic narrowing cost more than the AES-GCM on every put and uncached read. The tests
 * hold both to the same verdicts.
 */
function narrowTokenSet(value: unknown, fail: () => Error): TokenSet {
  if (typeof value !== 'object' || value === null) throw fail();
  let accessToken: unknown;
  let refreshToken: unknown;
  let expiresAt: unknown;
  let scopes: unknown;
  let tokenType: unknown;
  try {
    // A caller's object may have getters, and they may throw: that too is a malformed set.
    accessToken = Reflect.get(value, 'accessToken');
    refreshToken = Reflect.get(value, 'refreshToken');
    expiresAt = Reflect.get(value, 'expiresAt');
    scopes = Reflect.get(value, 'scopes');
    tokenType = Reflect.get(value, 'tokenType');
  } catch {
    throw fail();
  }
  if (
    typeof accessToken !== 'string' ||
    accessToken === '' ||
    typeof expiresAt !== 'number' ||
    !Number.isFinite(expiresAt) ||
    tokenType !== 'bearer' ||
    !Array.isArray(scopes) ||
    !scopes.every(isString) ||
    (refreshToken !== undefined && (typeof refreshToken !== 'string' || refreshToken === ''))
  ) {
    throw fail();
  }
  // A TokenSet of the pkce copy this package uses is frozen, its scopes too (without holes):
  // once its fields pass the checks above it is kept as it is, not copied.
  if (
    value instanceof TokenSet &&
    Object.getPrototypeOf(value) === TokenSet.prototype &&
    Object.isFrozen(value) &&
    Object.isFrozen(scopes)
  ) {
    return value;
  }
  // As pkce does: `every` and `filter` both skip the holes of a sparse array.
  const granted = scopes.filter(isString);
  return refreshToken === undefined
    ? new TokenSet({ accessToken, expiresAt, scopes: granted, tokenType })
    : new TokenSet({ accessToken, refreshToken, expiresAt, scopes: granted, tokenType });
}

function isString(value: unknown): value is string {
  return typeof value === 'string';
}

function corrupt(what: string): TokenStoreError {
  return new TokenStoreError(TokenStoreErrorCode.CorruptRow, `A stored row is corrupt: ${what}.`);
}

function invalidArgument(what: string): TokenStoreError {
  return new TokenStoreError(TokenStoreErrorCode.InvalidArgument, `Invalid argument: ${what}.`);
}
