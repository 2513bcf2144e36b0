// The SQLite schema and its versioning. `PRAGMA user_version` records the schema version in
// the database header, so a future release can migrate step by step (1 -> 2 -> ...) inside one
// `BEGIN IMMEDIATE` transaction, and an old release refuses a database a newer one migrated.

import type BetterSqlite3 from 'better-sqlite3';
import { TokenStoreError, TokenStoreErrorCode } from '../../errors.js';

/** The schema version this release writes and understands. */
export const SQLITE_SCHEMA_VERSION = 1;

/**
 * Version 1. Times are integers in ms since the epoch (the store's clock). `tokens` holds one
 * row per owner; `refresh_locks` holds the refresh leases (one per owner, taken by
 * compare-and-swap on `expires_at`); `key_usage` counts encryptions per key for rotation advice.
 */
const SCHEMA_V1 = `
CREATE TABLE IF NOT EXISTS tokens (
  app_id TEXT NOT NULL CHECK (app_id <> ''),
  user_id TEXT NOT NULL CHECK (user_id <> ''),
  kind TEXT NOT NULL CHECK (kind IN ('oauth1', 'oauth2')),
  version INTEGER NOT NULL CHECK (version >= 1),
  status TEXT NOT NULL CHECK (status IN ('active', 'needs_reauth')),
  key_id TEXT NOT NULL,
  ciphertext TEXT NOT NULL,
  expires_at INTEGER,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (app_id, user_id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS refresh_locks (
  app_id TEXT NOT NULL,
  user_id TEXT NOT NULL,
  holder TEXT NOT NULL,
  expires_at INTEGER NOT NULL,
  PRIMARY KEY (app_id, user_id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS key_usage (
  key_id TEXT NOT NULL PRIMARY KEY,
  encryptions INTEGER NOT NULL CHECK (encryptions >= 0)
) WITHOUT ROWID;
`;

/**
 * Creates or checks the schema. Runs in `BEGIN IMMEDIATE` so two processes opening a new file
 * at once do not both create it; the caller sets a generous busy timeout for this one step.
 */
export function ensureSqliteSchema(db: BetterSqlite3.Database): void {
  const migrate = db.transaction(() => {
    const current = Number(db.pragma('user_version', { simple: true }));
    if (current > SQLITE_SCHEMA_VERSION) {
      throw new TokenStoreError(
        TokenStoreErrorCode.InvalidConfig,
        `The SQLite token database has schema version ${current}, newer than this release understands (${SQLITE_SCHEMA_VERSION}): upgrade @x-oauth/token-store.`,
      );
    }
    if (current < 1) {
      db.exec(SCHEMA_V1);
      db.pragma(`user_version = ${SQLITE_SCHEMA_VERSION}`);
    }
  });
  migrate.immediate();
}
