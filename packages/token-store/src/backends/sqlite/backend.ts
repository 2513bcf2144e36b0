// The embedded default backend: one SQLite file in WAL mode through better-sqlite3. Every write
// is one statement (so one implicit transaction): compare-and-swap is a single INSERT or UPDATE
// guarded by the version, never a read followed by a write. The refresh lock is a lease row
// taken by compare-and-swap and waited for with timers, because better-sqlite3's busy wait
// would freeze the event loop for as long as another process held the lock.

import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import type { HeldLock, RecordOwner, StoredRow, TokenBackend } from '../../backend.js';
import { TokenStoreError, TokenStoreErrorCode } from '../../errors.js';
import {
  assertCasArguments,
  assertOwner,
  assertVersion,
  type SqlTokenRow,
  sqlRowValues,
  storedRowFromSql,
} from '../sql-row.js';
import { DEFAULT_BUSY_RETRY_MS, sleep, toSqliteBackendError, withBusyRetry } from './busy.js';
import { isSpecialSqlitePath, prepareDatabaseFile, restrictSidecarFiles } from './file-mode.js';
import { ensureSqliteSchema } from './schema.js';

/**
 * Options of {@link createSqliteBackend}.
 */
export interface SqliteBackendOptions {
  /**
   * Path of the database file. It is created with mode 0600 (an existing file is set to 0600),
   * and so are its `-wal` and `-shm` files. Put it in a directory only the service user can
   * read. `:memory:` works for experiments (no file, no cross-process locking).
   */
  readonly path: string;
  /**
   * `FULL` (the default) syncs the WAL on every commit, so a committed write survives a power
   * loss; `NORMAL` may lose the last commits on power loss (never on a process crash). A lost
   * commit here can be a rotated refresh token whose predecessor X has already spent, so the
   * user would have to authorize again: keep `FULL` unless writes are your bottleneck.
   */
  readonly synchronous?: 'FULL' | 'NORMAL';
  /**
   * How long SQLite itself may block the event loop waiting for another connection's write
   * lock, in ms (default 10). Longer contention is retried asynchronously (`busyRetryMs`).
   */
  readonly busyTimeoutMs?: number;
  /** How long a statement is retried on SQLITE_BUSY before failing, in ms (default 5000). */
  readonly busyRetryMs?: number;
  /** Longest pause between two attempts to take a refresh lease, in ms (default 25). */
  readonly lockPollMaxMs?: number;
  /** The clock for lease expiry, in ms since the epoch (default `Date.now`); all processes must agree. */
  readonly now?: () => number;
  /** Makes a lease holder token (default `crypto.randomUUID`); must be unique per acquisition. */
  readonly holderToken?: () => string;
}

const ROW_COLUMNS =
  'app_id, user_id, kind, version, status, key_id, ciphertext, expires_at, updated_at';

/**
 * Opens (creating if needed) a SQLite token database: WAL mode, `synchronous=FULL` by default,
 * files 0600, schema created on open. The same file may be used by many processes at once.
 *
 * @example
 * const backend = createSqliteBackend({ path: '/var/lib/my-app/tokens.sqlite' });
 * const store = createTokenStore({ backend, keyring });
 */
export function createSqliteBackend(options: SqliteBackendOptions): TokenBackend {
  const path = options.path;
  if (typeof path !== 'string' || path === '') {
    throw new TokenStoreError(
      TokenStoreErrorCode.InvalidConfig,
      'createSqliteBackend needs a `path` (the database file).',
    );
  }
  const synchronous = options.synchronous ?? 'FULL';
  if (synchronous !== 'FULL' && synchronous !== 'NORMAL') {
    throw new TokenStoreError(
      TokenStoreErrorCode.InvalidConfig,
      "`synchronous` must be 'FULL' or 'NORMAL'.",
    );
  }
  const busyTimeoutMs = nonNegativeInteger(options.busyTimeoutMs, 10, 'busyTimeoutMs');
  const busyRetryMs = nonNegativeInteger(options.busyRetryMs, DEFAULT_BUSY_RETRY_MS, 'busyRetryMs');
  const lockPollMaxMs = nonNegativeInteger(options.lockPollMaxMs, 25, 'lockPollMaxMs');
  const now = options.now ?? Date.now;
  const holderToken = options.holderToken ?? randomUUID;
  const onDisk = !isSpecialSqlitePath(path);

  let db: Database.Database;
  try {
    if (onDisk) prepareDatabaseFile(path);
    db = new Database(path);
  } catch (error) {
    throw toSqliteBackendError('open', error);
  }
  try {
    // Opening is a startup step: a longer blocking wait is fine here, and it lets two processes
    // that open a new file at once serialize the schema creation instead of failing.
    db.pragma('busy_timeout = 5000');
    const mode = String(db.pragma('journal_mode = WAL', { simple: true })).toLowerCase();
    if (onDisk && mode !== 'wal') {
      throw new TokenStoreError(
        TokenStoreErrorCode.BackendError,
        `SQLite refused WAL mode (journal_mode is ${mode}); the file system may not support shared memory.`,
      );
    }
    db.pragma(`synchronous = ${synchronous}`);
    // Overwrite deleted content: after a key rotation, ciphertexts under the retired key must
    // not linger in free pages.
    db.pragma('secure_delete = ON');
    ensureSqliteSchema(db);
    db.pragma(`busy_timeout = ${busyTimeoutMs}`);
    if (onDisk) restrictSidecarFiles(path);
  } catch (error) {
    db.close();
    throw toSqliteBackendError('open', error);
  }

  const statements = {
    read: db.prepare<[string, string], SqlTokenRow>(
      `SELECT ${ROW_COLUMNS} FROM tokens WHERE app_id = ? AND user_id = ?`,
    ),
    insert: db.prepare(
      `INSERT INTO tokens (${ROW_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (app_id, user_id) DO NOTHING`,
    ),
    update: db.prepare(
      `UPDATE tokens
       SET kind = ?, version = ?, status = ?, key_id = ?, ciphertext = ?, expires_at = ?, updated_at = ?
       WHERE app_id = ? AND user_id = ? AND version = ?`,
    ),
    delete: db.prepare('DELETE FROM tokens WHERE app_id = ? AND user_id = ? AND version = ?'),
    firstPage: db.prepare<[number], SqlTokenRow>(
      `SELECT ${ROW_COLUMNS} FROM tokens ORDER BY app_id, user_id LIMIT ?`,
    ),
    nextPage: db.prepare<[string, string, number], SqlTokenRow>(
      `SELECT ${ROW_COLUMNS} FROM tokens WHERE (app_id, user_id) > (?, ?)
       ORDER BY app_id, user_id LIMIT ?`,
    ),
    addKeyUsage: db.prepare<[string, number], { encryptions: number }>(
      `INSERT INTO key_usage (key_id, encryptions) VALUES (?, ?)
       ON CONFLICT (key_id) DO UPDATE SET encryptions = encryptions + excluded.encryptions
       RETURNING encryptions`,
    ),
    // The lease: taken when no row exists or the existing one has expired; `changes` says which.
    takeLease: db.prepare(
      `INSERT INTO refresh_locks (app_id, user_id, holder, expires_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (app_id, user_id) DO UPDATE
       SET holder = excluded.holder, expires_at = excluded.expires_at
       WHERE refresh_locks.expires_at <= ?`,
    ),
    releaseLease: db.prepare(
      'DELETE FROM refresh_locks WHERE app_id = ? AND user_id = ? AND holder = ?',
    ),
  };

  let closed = false;
  const heldLeases = new Set<{ owner: RecordOwner; holder: string }>();

  function assertOpen(): void {
    if (closed) {
      throw new TokenStoreError(TokenStoreErrorCode.BackendError, 'The SQLite backend is closed.');
    }
  }

  // Every caller awaits it inside an async method, so a throw here still reaches its caller as
  // a rejection; see withBusyRetry. The store may close while a retry waits: checked each time.
  function run<T>(operation: string, statement: () => T): T | Promise<T> {
    assertOpen();
    return withBusyRetry(operation, busyRetryMs, statement, assertOpen);
  }

  async function* scanRows(scanOptions?: { pageSize?: number }): AsyncIterable<StoredRow> {
    const pageSize = scanOptions?.pageSize ?? 100;
    if (!Number.isInteger(pageSize) || pageSize < 1) {
      throw new TokenStoreError(
        TokenStoreErrorCode.InvalidArgument,
        '`pageSize` must be a positive integer.',
      );
    }
    // Each page is its own short read: no transaction stays open across the caller's awaits,
    // so writers and WAL checkpoints are never held up by a long rotation.
    let last: SqlTokenRow | undefined;
    for (;;) {
      const after = last;
      const page = await run('scan', () =>
        after === undefined
          ? statements.firstPage.all(pageSize)
          : statements.nextPage.all(after.app_id, after.user_id, pageSize),
      );
      for (const record of page) yield storedRowFromSql(record, 'SQLite');
      if (page.length < pageSize) return;
      last = page[page.length - 1];
    }
  }

  return {
    name: 'sqlite',

    async read(owner) {
      assertOwner(owner);
      const record = await run('read', () => statements.read.get(owner.appId, owner.userId));
      return record === undefined ? undefined : storedRowFromSql(record, 'SQLite');
    },

    async compareAndSwap(row, expectedVersion) {
      assertCasArguments(row, expectedVersion);
      const result = await run('compareAndSwap', () =>
        expectedVersion === 0
          ? statements.insert.run(...sqlRowValues(row))
          : statements.update.run(
              row.kind,
              row.version,
              row.status,
              row.keyId,
              row.ciphertext,
              row.expiresAt,
              row.updatedAt,
              row.appId,
              row.userId,
              expectedVersion,
            ),
      );
      return result.changes === 1;
    },

    async delete(owner, expectedVersion) {
      assertOwner(owner);
      assertVersion(expectedVersion, 0);
      const result = await run('delete', () =>
        statements.delete.run(owner.appId, owner.userId, expectedVersion),
      );
      return result.changes === 1;
    },

    async acquireRefreshLock(owner, lockOptions): Promise<HeldLock> {
      assertOwner(owner);
      const { ttlMs, waitMs } = lockOptions;
      if (!Number.isFinite(ttlMs) || ttlMs <= 0 || !Number.isFinite(waitMs) || waitMs < 0) {
        throw new TokenStoreError(
          TokenStoreErrorCode.InvalidArgument,
          '`ttlMs` must be positive and `waitMs` non-negative.',
        );
      }
      const holder = holderToken();
      const deadline = performance.now() + waitMs;
      let delay = 1;
      for (;;) {
        const at = now();
        const taken = await run('acquireRefreshLock', () =>
          statements.takeLease.run(owner.appId, owner.userId, holder, at + ttlMs, at),
        );
        if (taken.changes === 1) break;
        const remaining = deadline - performance.now();
        if (remaining <= 0) {
          throw new TokenStoreError(
            TokenStoreErrorCode.LockTimeout,
            `The refresh lock for this owner stayed taken for more than ${waitMs} ms.`,
            { retryable: true },
          );
        }
        await sleep(Math.min(remaining, delay * (0.5 + Math.random())));
        delay = Math.min(delay * 2, Math.max(1, lockPollMaxMs));
      }
      const lease = { owner, holder };
      heldLeases.add(lease);
      let released = false;
      return {
        async release() {
          if (released) return;
          released = true;
          heldLeases.delete(lease);
          if (closed) return;
          // Deletes only this holder's lease: after our TTL ran out another process may hold it.
          await run('releaseRefreshLock', () =>
            statements.releaseLease.run(owner.appId, owner.userId, holder),
          );
        },
      };
    },

    scanRows,

    async addKeyUsage(keyId, count) {
      if (typeof keyId !== 'string' || keyId === '' || !Number.isInteger(count) || count < 0) {
        throw new TokenStoreError(
          TokenStoreErrorCode.InvalidArgument,
          '`keyId` must be a non-empty string and `count` a non-negative integer.',
        );
      }
      const result = await run('addKeyUsage', () => statements.addKeyUsage.get(keyId, count));
      return Number(result?.encryptions ?? 0);
    },

    async close() {
      if (closed) return;
      // Leave no lease behind for other processes to wait out.
      for (const lease of heldLeases) {
        try {
          statements.releaseLease.run(lease.owner.appId, lease.owner.userId, lease.holder);
        } catch {
          // Best effort: the lease expires by itself.
        }
      }
      heldLeases.clear();
      closed = true;
      db.close();
    },
  };
}

function nonNegativeInteger(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 0) {
    throw new TokenStoreError(
      TokenStoreErrorCode.InvalidConfig,
      `\`${name}\` must be a non-negative integer.`,
    );
  }
  return value;
}
