// Key names of the Redis backend. Every key sits under one prefix, so an ACL user can be
// limited to `~<prefix>*` and nothing else.
import type { RecordOwner } from '../../backend.js';
import { TokenStoreError, TokenStoreErrorCode } from '../../errors.js';

/** The prefix used when none is configured. */
export const DEFAULT_REDIS_PREFIX = 'x-oauth:tokens:';

/** The longest prefix accepted; a key name is sent with every command. */
const MAX_PREFIX_LENGTH = 200;

/** The names of one prefix's keys. */
export interface RedisKeys {
  readonly prefix: string;
  /** The hash holding the owner's row. */
  row(owner: RecordOwner): string;
  /** The string holding the owner's refresh lock (its holder's token). */
  lock(owner: RecordOwner): string;
  /** The hash of encryptions per key id. */
  readonly keyUsage: string;
  /** A `SCAN MATCH` pattern for every row key, and nothing else. */
  readonly rowPattern: string;
  /** A `SCAN MATCH` pattern for every key of the prefix. */
  readonly allPattern: string;
  /** The owner of a row key found by `SCAN`, or undefined when it is not one. */
  ownerOfRowKey(key: string): RecordOwner | undefined;
}

/**
 * Checks a prefix: a non-empty string without whitespace or control characters (they make
 * ACL lines and `redis-cli` sessions ambiguous). Throws `TOKEN_STORE_INVALID_CONFIG`.
 */
export function validateRedisPrefix(prefix: unknown): string {
  if (typeof prefix !== 'string' || prefix === '') {
    throw new TokenStoreError(
      TokenStoreErrorCode.InvalidConfig,
      'The Redis key prefix must be a non-empty string, e.g. "x-oauth:tokens:".',
    );
  }
  if (prefix.length > MAX_PREFIX_LENGTH || /[\s\p{Cc}]/u.test(prefix)) {
    throw new TokenStoreError(
      TokenStoreErrorCode.InvalidConfig,
      `The Redis key prefix must be at most ${MAX_PREFIX_LENGTH} characters, without spaces or control characters.`,
    );
  }
  return prefix;
}

/** The key names under `prefix` (validated). */
export function redisKeys(prefix: string): RedisKeys {
  const checked = validateRedisPrefix(prefix);
  const rowStart = `${checked}row:`;
  const lockStart = `${checked}lock:`;
  const pair = (owner: RecordOwner) => `${encodeId(owner.appId)}:${encodeId(owner.userId)}`;
  return Object.freeze({
    prefix: checked,
    row: (owner: RecordOwner) => `${rowStart}${pair(owner)}`,
    lock: (owner: RecordOwner) => `${lockStart}${pair(owner)}`,
    keyUsage: `${checked}key-usage`,
    rowPattern: `${escapeGlob(rowStart)}*`,
    allPattern: `${escapeGlob(checked)}*`,
    ownerOfRowKey(key: string): RecordOwner | undefined {
      if (!key.startsWith(rowStart)) return undefined;
      const parts = key.slice(rowStart.length).split(':');
      if (parts.length !== 2) return undefined;
      const [appId, userId] = parts;
      if (appId === undefined || userId === undefined) return undefined;
      const decodedAppId = decodeId(appId);
      const decodedUserId = decodeId(userId);
      if (decodedAppId === undefined || decodedUserId === undefined) return undefined;
      return Object.freeze({ appId: decodedAppId, userId: decodedUserId });
    },
  });
}

/**
 * Percent-encodes an id so that `:` (the separator) never appears in it, and two distinct ids
 * never share a key. The store has already refused lone surrogates, so this cannot throw on
 * its ids; a caller of the backend alone gets a typed error.
 */
export function encodeId(id: string): string {
  try {
    return encodeURIComponent(id);
  } catch {
    throw new TokenStoreError(
      TokenStoreErrorCode.InvalidArgument,
      'An app or user id must be well-formed Unicode.',
    );
  }
}

function decodeId(encoded: string): string | undefined {
  if (encoded === '') return undefined;
  try {
    const id = decodeURIComponent(encoded);
    // Only the canonical encoding names a row: a hand-made key such as `row:a%3a:b` is not one.
    return encodeURIComponent(id) === encoded ? id : undefined;
  } catch {
    return undefined;
  }
}

/** Escapes the glob characters of `SCAN MATCH` (`* ? [ ] \`), so a prefix matches literally. */
export function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, (character) => `\\${character}`);
}
