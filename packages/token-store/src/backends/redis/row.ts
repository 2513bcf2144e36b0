// A row as the fields of a Redis hash, and back. The hash holds no owner: the key names it, so
// a hash copied under another owner's key is read as that owner's and fails to decrypt (the
// ciphertext's associated data binds the real owner).
import type { RecordOwner, StoredRow } from '../../backend.js';
import { TokenStoreError, TokenStoreErrorCode } from '../../errors.js';

/** Field names of a row's hash. `version` is the one the compare-and-swap scripts read. */
export const ROW_FIELDS = [
  'version',
  'kind',
  'status',
  'key_id',
  'ciphertext',
  'expires_at',
  'updated_at',
] as const;

/**
 * The row as `field, value, field, value, ...` for one `HSET`, which writes the whole row,
 * version included, at once (so a reader never sees a torn pair). Throws
 * `TOKEN_STORE_INVALID_ARGUMENT` for a row {@link rowFromHash} would refuse to read back, so
 * a malformed row is never written over a good one.
 */
export function rowToFieldValues(row: StoredRow): string[] {
  if (row.kind !== 'oauth1' && row.kind !== 'oauth2') throw unwritable('kind');
  if (row.status !== 'active' && row.status !== 'needs_reauth') throw unwritable('status');
  if (typeof row.keyId !== 'string' || row.keyId === '') throw unwritable('keyId');
  if (typeof row.ciphertext !== 'string' || row.ciphertext === '') throw unwritable('ciphertext');
  if (!isTimestamp(row.updatedAt)) throw unwritable('updatedAt');
  if (row.expiresAt !== null && !isTimestamp(row.expiresAt)) throw unwritable('expiresAt');
  return [
    'version',
    String(row.version),
    'kind',
    row.kind,
    'status',
    row.status,
    'key_id',
    row.keyId,
    'ciphertext',
    row.ciphertext,
    'expires_at',
    row.expiresAt === null ? '' : String(row.expiresAt),
    'updated_at',
    String(row.updatedAt),
  ];
}

/**
 * The row a hash holds (`HGETALL`'s answer), or undefined for an empty answer (no such key).
 * Throws `TOKEN_STORE_CORRUPT_ROW` when a field is missing or malformed; the message names
 * the field, never its value.
 */
export function rowFromHash(
  owner: RecordOwner,
  hash: Readonly<Record<string, string>>,
): StoredRow | undefined {
  // HGETALL answers an empty hash for a missing key; a hash without a version but with other
  // fields is a corrupt row, not a missing one (a loop, not Object.keys: no array to build).
  if (hash.version === undefined) {
    for (const _field in hash) throw corrupt('version');
    return undefined;
  }
  const version = integerField(hash, 'version', 1);
  const kind = hash.kind;
  if (kind !== 'oauth1' && kind !== 'oauth2') throw corrupt('kind');
  const status = hash.status;
  if (status !== 'active' && status !== 'needs_reauth') throw corrupt('status');
  const keyId = hash.key_id;
  if (keyId === undefined || keyId === '') throw corrupt('key_id');
  const ciphertext = hash.ciphertext;
  if (ciphertext === undefined || ciphertext === '') throw corrupt('ciphertext');
  const expiresAt = hash.expires_at === '' ? null : integerField(hash, 'expires_at', 0);
  const updatedAt = integerField(hash, 'updated_at', 0);
  return Object.freeze({
    appId: owner.appId,
    userId: owner.userId,
    kind,
    version,
    status,
    keyId,
    ciphertext,
    expiresAt,
    updatedAt,
  });
}

function integerField(
  hash: Readonly<Record<string, string>>,
  field: (typeof ROW_FIELDS)[number],
  minimum: number,
): number {
  const text = hash[field];
  if (text === undefined || !/^-?\d{1,16}$/.test(text)) throw corrupt(field);
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < minimum) throw corrupt(field);
  return value;
}

// What integerField reads back: a non-negative integer of at most 16 digits.
function isTimestamp(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 && value < 1e16;
}

function unwritable(field: string): TokenStoreError {
  return new TokenStoreError(
    TokenStoreErrorCode.InvalidArgument,
    `A row to write has a missing or malformed "${field}"; nothing was written.`,
  );
}

function corrupt(field: string): TokenStoreError {
  return new TokenStoreError(
    TokenStoreErrorCode.CorruptRow,
    `A Redis row hash has a missing or malformed "${field}" field; it was not written by this package.`,
  );
}
