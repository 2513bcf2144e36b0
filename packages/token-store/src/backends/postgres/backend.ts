// PostgreSQL through node-postgres. Every owner-scoped call is one transaction that first sets
// the owner (`set_config(..., true)`: transaction-local, so a pooled connection never carries
// one owner into the next request), which the row-level security policies compare to each row.
// Reads and writes go through the schema's SECURITY INVOKER functions, which set the owner and
// run their one statement inside the statement's own transaction (one round trip); maintenance
// uses explicit transactions. Compare-and-swap is one INSERT ... ON CONFLICT DO NOTHING or one
// UPDATE ... WHERE version = expected. The refresh lock is a transaction-level advisory lock held by a dedicated
// connection until release: it dies with the session if the holder's process dies.

import pg from 'pg';
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
import { postgresErrorCode, toPostgresBackendError } from './errors.js';
import { checkIdentifier } from './identifiers.js';

/** Options of {@link createPostgresBackend}: `connectionString` or `pool`. */
export interface PostgresBackendOptions {
  /**
   * Connection string of the application role: the writer role made by `migratePostgres`
   * (`x_oauth_writer`), or the reader role for a read-only process.
   */
  readonly connectionString?: string;
  /** A pool of the application role's connections instead of `connectionString` (not closed by `close()`). */
  readonly pool?: pg.Pool;
  /**
   * Connection string of the maintenance role (the admin that ran `migratePostgres`, or the
   * `maintenanceRole` given to it): used only by `scanRows` (key rotation) and `delete`, since
   * the application roles cannot see other owners' rows and have no DELETE privilege.
   */
  readonly maintenanceConnectionString?: string;
  /** A pool of the maintenance role's connections instead of `maintenanceConnectionString`. */
  readonly maintenancePool?: pg.Pool;
  /**
   * A pool for the refresh locks. Each held lock keeps one connection in an open transaction
   * for the length of a token request, so locks get their own pool: were they to share the
   * query pool, as many concurrent refreshes as the pool's size would leave no connection for
   * the reads and writes they wait on. Made from `connectionString` by default; with only
   * `pool`, locks use that pool (make it larger than the refreshes you run at once).
   */
  readonly lockPool?: pg.Pool;
  /** Schema the migration created; `x_oauth` by default. */
  readonly schema?: string;
  /** Size of each pool the backend creates (queries, locks, maintenance); 10 by default. */
  readonly poolSize?: number;
}

/** SQLSTATE of `lock_timeout` expiring (lock_not_available). */
const LOCK_NOT_AVAILABLE = '55P03';

const ROW_COLUMNS =
  'app_id, user_id, kind, version, status, key_id, ciphertext, expires_at, updated_at';

/**
 * A {@link TokenBackend} on PostgreSQL. Run {@link migratePostgres} first (once per deploy).
 *
 * @example
 * const backend = createPostgresBackend({
 *   connectionString: 'postgres://x_oauth_writer:...@db/app',
 *   maintenanceConnectionString: 'postgres://x_oauth_admin:...@db/app',
 * });
 */
export function createPostgresBackend(options: PostgresBackendOptions): TokenBackend {
  if (typeof options !== 'object' || options === null) {
    throw new TokenStoreError(
      TokenStoreErrorCode.InvalidConfig,
      'createPostgresBackend needs { connectionString | pool, maintenanceConnectionString?, schema? }.',
    );
  }
  const schema = checkIdentifier(options.schema ?? 'x_oauth', '`schema`');
  const poolSize = options.poolSize ?? 10;
  if (!Number.isInteger(poolSize) || poolSize < 1) {
    throw new TokenStoreError(
      TokenStoreErrorCode.InvalidConfig,
      '`poolSize` must be a positive integer.',
    );
  }
  const hasString = typeof options.connectionString === 'string' && options.connectionString !== '';
  if (hasString === (options.pool !== undefined)) {
    throw new TokenStoreError(
      TokenStoreErrorCode.InvalidConfig,
      'createPostgresBackend needs exactly one of `connectionString` and `pool`.',
    );
  }
  if (options.maintenanceConnectionString !== undefined && options.maintenancePool !== undefined) {
    throw new TokenStoreError(
      TokenStoreErrorCode.InvalidConfig,
      'Pass `maintenanceConnectionString` or `maintenancePool`, not both.',
    );
  }

  const ownedPools: pg.Pool[] = [];
  const makePool = (connectionString: string, max = poolSize): pg.Pool => {
    const pool = new pg.Pool({ connectionString, max });
    // An idle connection dropped by the server must not crash the process; the next query
    // gets a fresh connection.
    pool.on('error', () => undefined);
    ownedPools.push(pool);
    return pool;
  };
  const queryPool = options.pool ?? makePool(options.connectionString ?? '');
  const lockPool =
    options.lockPool ?? (hasString ? makePool(options.connectionString ?? '') : queryPool);
  const dedicatedMaintenance =
    options.maintenancePool ??
    (options.maintenanceConnectionString === undefined
      ? undefined
      : // Rotation scans page by page and deletes are rare: two connections are plenty.
        makePool(options.maintenanceConnectionString, Math.min(poolSize, 2)));
  const maintenancePool = dedicatedMaintenance ?? queryPool;

  const tokens = `"${schema}".tokens`;
  const keyUsage = `"${schema}".key_usage`;
  const heldLocks = new Set<() => Promise<void>>();
  let closed = false;
  let maintenanceChecked = dedicatedMaintenance !== undefined;

  function assertOpen(): void {
    if (closed) {
      throw new TokenStoreError(
        TokenStoreErrorCode.BackendError,
        'The PostgreSQL backend is closed.',
      );
    }
  }

  /**
   * One statement in its own transaction. Owner-scoped calls go through the schema's functions
   * (read_token, insert_token, update_token), which set the owner transaction-locally before
   * their one statement: one round trip instead of four (BEGIN, set_config, statement, COMMIT).
   */
  async function ownerQuery<R extends pg.QueryResultRow>(
    operation: string,
    text: string,
    values: unknown[],
  ): Promise<pg.QueryResult<R>> {
    assertOpen();
    try {
      return await queryPool.query<R>(text, values);
    } catch (error) {
      throw toPostgresBackendError(operation, error);
    }
  }

  /** Runs `work` in a transaction whose first statement sets the owner (and maintenance mode). */
  async function inTransaction<T>(
    pool: pg.Pool,
    operation: string,
    settings: { owner?: RecordOwner; maintenance?: boolean },
    work: (client: pg.PoolClient) => Promise<T>,
  ): Promise<T> {
    assertOpen();
    let client: pg.PoolClient;
    try {
      client = await pool.connect();
    } catch (error) {
      throw toPostgresBackendError(`${operation} (connect)`, error);
    }
    const onError = () => undefined;
    client.on('error', onError);
    let broken = false;
    try {
      await client.query('BEGIN');
      await client.query(
        `SELECT set_config('x_oauth.app_id', $1, true), set_config('x_oauth.user_id', $2, true),
                set_config('x_oauth.maintenance', $3, true)`,
        [
          settings.owner?.appId ?? '',
          settings.owner?.userId ?? '',
          settings.maintenance === true ? 'on' : 'off',
        ],
      );
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      try {
        await client.query('ROLLBACK');
      } catch {
        broken = true;
      }
      throw toPostgresBackendError(operation, error);
    } finally {
      client.off('error', onError);
      client.release(broken);
    }
  }

  /**
   * Without a maintenance connection, maintenance runs on the application connection; that is
   * right only when it is the maintenance role. The writer would see no rows at all (RLS), so a
   * rotation would silently do nothing: refuse instead.
   */
  async function checkMaintenanceRole(): Promise<void> {
    if (maintenanceChecked) return;
    const privileges = await inTransaction(
      maintenancePool,
      'check maintenance role',
      {},
      (client) =>
        client.query<{ can_delete: boolean }>(
          'SELECT has_table_privilege(current_user, $1, $2) AS can_delete',
          [tokens, 'DELETE'],
        ),
    );
    if (privileges.rows[0]?.can_delete !== true) {
      throw new TokenStoreError(
        TokenStoreErrorCode.InvalidConfig,
        'scanRows and delete need `maintenanceConnectionString` (the admin or maintenance role): the application role can neither see rows of other owners nor delete.',
      );
    }
    maintenanceChecked = true;
  }

  async function* scanRows(scanOptions?: { pageSize?: number }): AsyncIterable<StoredRow> {
    const pageSize = scanOptions?.pageSize ?? 100;
    if (!Number.isInteger(pageSize) || pageSize < 1) {
      throw new TokenStoreError(
        TokenStoreErrorCode.InvalidArgument,
        '`pageSize` must be a positive integer.',
      );
    }
    await checkMaintenanceRole();
    // Keyset pagination on the primary key, one short transaction per page: no cursor or
    // transaction stays open while the caller re-encrypts and writes.
    let last: SqlTokenRow | undefined;
    for (;;) {
      const after = last;
      const page = await inTransaction(
        maintenancePool,
        'scanRows',
        { maintenance: true },
        (client) =>
          after === undefined
            ? client.query<SqlTokenRow>(
                `SELECT ${ROW_COLUMNS} FROM ${tokens} ORDER BY app_id, user_id LIMIT $1`,
                [pageSize],
              )
            : client.query<SqlTokenRow>(
                `SELECT ${ROW_COLUMNS} FROM ${tokens} WHERE (app_id, user_id) > ($1, $2)
               ORDER BY app_id, user_id LIMIT $3`,
                [after.app_id, after.user_id, pageSize],
              ),
      );
      for (const record of page.rows) yield storedRowFromSql(record, 'PostgreSQL');
      if (page.rows.length < pageSize) return;
      last = page.rows[page.rows.length - 1];
    }
  }

  return {
    name: 'postgres',

    async read(owner) {
      assertOwner(owner);
      const result = await ownerQuery<SqlTokenRow>(
        'read',
        `SELECT ${ROW_COLUMNS} FROM "${schema}".read_token($1, $2)`,
        [owner.appId, owner.userId],
      );
      const record = result.rows[0];
      return record === undefined ? undefined : storedRowFromSql(record, 'PostgreSQL');
    },

    async compareAndSwap(row, expectedVersion) {
      assertCasArguments(row, expectedVersion);
      const values = sqlRowValues(row);
      const result =
        expectedVersion === 0
          ? await ownerQuery<{ written: boolean }>(
              'compareAndSwap',
              `SELECT "${schema}".insert_token($1, $2, $3, $4, $5, $6, $7, $8, $9) AS written`,
              values,
            )
          : await ownerQuery<{ written: boolean }>(
              'compareAndSwap',
              `SELECT "${schema}".update_token($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) AS written`,
              [...values, expectedVersion],
            );
      return result.rows[0]?.written === true;
    },

    async delete(owner, expectedVersion) {
      assertOwner(owner);
      assertVersion(expectedVersion);
      await checkMaintenanceRole();
      const result = await inTransaction(
        maintenancePool,
        'delete',
        { owner, maintenance: true },
        (client) =>
          client.query(
            `DELETE FROM ${tokens} WHERE app_id = $1 AND user_id = $2 AND version = $3`,
            [owner.appId, owner.userId, expectedVersion],
          ),
      );
      return result.rowCount === 1;
    },

    async acquireRefreshLock(owner, lockOptions): Promise<HeldLock> {
      assertOpen();
      assertOwner(owner);
      const { ttlMs, waitMs } = lockOptions;
      if (!Number.isFinite(ttlMs) || ttlMs <= 0 || !Number.isFinite(waitMs) || waitMs < 0) {
        throw new TokenStoreError(
          TokenStoreErrorCode.InvalidArgument,
          '`ttlMs` must be positive and `waitMs` non-negative.',
        );
      }
      const deadline = performance.now() + waitMs;
      const client = await connectBefore(lockPool, deadline, waitMs);
      const onError = () => undefined;
      client.on('error', onError);
      let done = false;
      const finish = async (broken: boolean) => {
        if (done) return;
        done = true;
        client.off('error', onError);
        client.release(broken);
      };
      // One 64-bit key per (schema, app, user); JSON keeps the parts apart (ids may hold any
      // printable character, and PostgreSQL text cannot hold the NUL the AAD uses).
      const key = JSON.stringify([
        'x-oauth/token-store/refresh',
        schema,
        owner.appId,
        owner.userId,
      ]);
      try {
        await client.query('BEGIN');
        const remaining = Math.ceil(deadline - performance.now());
        // idle_in_transaction_session_timeout is the TTL: a holder that hangs (not only one
        // that dies) loses its session, and with it the lock, once idle that long.
        await client.query(
          `SELECT set_config('lock_timeout', $1, true),
                  set_config('idle_in_transaction_session_timeout', $2, true)`,
          [`${Math.max(1, remaining)}ms`, `${Math.ceil(ttlMs)}ms`],
        );
        if (remaining <= 0) {
          const tried = await client.query<{ locked: boolean }>(
            'SELECT pg_try_advisory_xact_lock(hashtextextended($1, 0)) AS locked',
            [key],
          );
          if (tried.rows[0]?.locked !== true) throw lockTimeout(waitMs);
        } else {
          await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [key]);
        }
      } catch (error) {
        let broken = false;
        await client.query('ROLLBACK').catch(() => {
          broken = true;
        });
        await finish(broken);
        if (postgresErrorCode(error) === LOCK_NOT_AVAILABLE) throw lockTimeout(waitMs);
        throw toPostgresBackendError('acquireRefreshLock', error);
      }
      const release = async () => {
        if (done) return;
        heldLocks.delete(release);
        // Ending the transaction frees the lock. If the session was already ended (TTL passed,
        // or terminated), the lock went with it: drop the broken connection.
        let broken = false;
        await client.query('ROLLBACK').catch(() => {
          broken = true;
        });
        await finish(broken);
      };
      heldLocks.add(release);
      return { release };
    },

    scanRows,

    async addKeyUsage(keyId, count) {
      if (typeof keyId !== 'string' || keyId === '' || !Number.isSafeInteger(count) || count < 0) {
        throw new TokenStoreError(
          TokenStoreErrorCode.InvalidArgument,
          '`keyId` must be a non-empty string and `count` a non-negative integer.',
        );
      }
      // Not owner data (no row-level security): one plain statement.
      const result = await ownerQuery<{ encryptions: string }>(
        'addKeyUsage',
        `INSERT INTO ${keyUsage} (key_id, encryptions) VALUES ($1, $2)
         ON CONFLICT (key_id) DO UPDATE SET encryptions = ${keyUsage}.encryptions + EXCLUDED.encryptions
         RETURNING encryptions`,
        [keyId, count],
      );
      return Number(result.rows[0]?.encryptions ?? 0);
    },

    async close() {
      if (closed) return;
      closed = true;
      await Promise.all([...heldLocks].map((release) => release().catch(() => undefined)));
      await Promise.all(ownedPools.map((pool) => pool.end().catch(() => undefined)));
    },
  };
}

/** Checks a connection out of `pool`, giving up (and returning it later) at `deadline`. */
async function connectBefore(
  pool: pg.Pool,
  deadline: number,
  waitMs: number,
): Promise<pg.PoolClient> {
  const connecting = pool.connect();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    // A connection takes a moment even with waitMs 0: allow a short grace for the handshake.
    timer = setTimeout(() => resolve('timeout'), Math.max(deadline - performance.now(), 0) + 1_000);
  });
  try {
    const winner = await Promise.race([connecting, timeout]);
    if (winner === 'timeout') {
      connecting.then(
        (client) => client.release(),
        () => undefined,
      );
      throw lockTimeout(waitMs);
    }
    return winner;
  } catch (error) {
    throw toPostgresBackendError('acquireRefreshLock (connect)', error);
  } finally {
    clearTimeout(timer);
  }
}

function lockTimeout(waitMs: number): TokenStoreError {
  return new TokenStoreError(
    TokenStoreErrorCode.LockTimeout,
    `The refresh lock for this owner stayed taken for more than ${waitMs} ms.`,
    { retryable: true },
  );
}
