// What the two SQL backends share: the row as the `tokens` table holds it, its mapping to a
// StoredRow, and the checks of their owner-scoped calls' arguments.
import type { RecordOwner, StoredRow } from '../backend.js';
import { TokenStoreError, TokenStoreErrorCode } from '../errors.js';

/** A `tokens` row as a driver returns it (PostgreSQL sends bigint columns as strings). */
export interface SqlTokenRow {
  app_id: string;
  user_id: string;
  kind: string;
  version: number | string;
  status: string;
  key_id: string;
  ciphertext: string;
  expires_at: number | string | null;
  updated_at: number | string;
}

/**
 * Maps a `tokens` row to a StoredRow; an unknown kind or status is `TOKEN_STORE_CORRUPT_ROW`.
 * Versions and ms timestamps are far below 2^53, so `Number` is exact.
 */
export function storedRowFromSql(record: SqlTokenRow, database: string): StoredRow {
  if (
    (record.kind !== 'oauth1' && record.kind !== 'oauth2') ||
    (record.status !== 'active' && record.status !== 'needs_reauth')
  ) {
    throw new TokenStoreError(
      TokenStoreErrorCode.CorruptRow,
      `A ${database} token row has an unknown kind or status.`,
    );
  }
  return {
    appId: record.app_id,
    userId: record.user_id,
    kind: record.kind,
    version: Number(record.version),
    status: record.status,
    keyId: record.key_id,
    ciphertext: record.ciphertext,
    expiresAt: record.expires_at === null ? null : Number(record.expires_at),
    updatedAt: Number(record.updated_at),
  };
}

/** The row's values in the `tokens` table's column order (app_id … updated_at), for an INSERT. */
export function sqlRowValues(
  row: StoredRow,
): [string, string, string, number, string, string, string, number | null, number] {
  return [
    row.appId,
    row.userId,
    row.kind,
    row.version,
    row.status,
    row.keyId,
    row.ciphertext,
    row.expiresAt,
    row.updatedAt,
  ];
}

/** Refuses an owner without a non-empty `appId` and `userId`. */
export function assertOwner(owner: RecordOwner): void {
  if (
    typeof owner?.appId !== 'string' ||
    owner.appId === '' ||
    typeof owner.userId !== 'string' ||
    owner.userId === ''
  ) {
    throw new TokenStoreError(
      TokenStoreErrorCode.InvalidArgument,
      'An owner needs a non-empty `appId` and `userId`.',
    );
  }
}

/** Refuses a version that is not an integer >= `minimum`. */
export function assertVersion(version: number, minimum = 0): void {
  if (!Number.isSafeInteger(version) || version < minimum) {
    throw new TokenStoreError(
      TokenStoreErrorCode.InvalidArgument,
      `A version must be an integer >= ${minimum}.`,
    );
  }
}

/** Checks compareAndSwap's arguments: a valid owner, and `row.version = expectedVersion + 1`. */
export function assertCasArguments(row: StoredRow, expectedVersion: number): void {
  assertOwner(row);
  assertVersion(expectedVersion);
  if (row.version !== expectedVersion + 1) {
    throw new TokenStoreError(
      TokenStoreErrorCode.InvalidArgument,
      'compareAndSwap needs `row.version` to be `expectedVersion + 1`.',
    );
  }
}
