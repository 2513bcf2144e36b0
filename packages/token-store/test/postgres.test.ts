import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { TokenSet } from '@x-oauth/pkce';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKeyring, createTokenStore, TokenStoreErrorCode } from '../src/index.js';
import { createPostgresBackend, migratePostgres } from '../src/postgres.js';
import { describeBackendConformance } from './conformance.js';

// A real PostgreSQL (scripts/services.sh starts one on loopback); a missing server fails the
// tests, never skips them. Schema and roles are unique to this run and dropped afterwards.
const ADMIN =
  process.env.X_OAUTH_TEST_POSTGRES_ADMIN ??
  'postgres://x_oauth_admin:x_oauth_admin@127.0.0.1:5432/x_oauth_test';
const runId = randomBytes(4).toString('hex');
const schema = `x_oauth_test_${runId}`;
const readerRole = `x_oauth_reader_${runId}`;
const writerRole = `x_oauth_writer_${runId}`;
const readerPassword = randomBytes(18).toString('base64url');
const writerPassword = randomBytes(18).toString('base64url');

function connectionStringFor(role: string, password: string): string {
  const url = new URL(ADMIN);
  url.username = role;
  url.password = password;
  return url.toString();
}
const WRITER = connectionStringFor(writerRole, writerPassword);
const READER = connectionStringFor(readerRole, readerPassword);

const admin = new pg.Pool({ connectionString: ADMIN, max: 3 });
admin.on('error', () => undefined);
const openBackends: { close(): Promise<void> }[] = [];

function writerBackend(extra: { maintenance?: boolean } = {}) {
  const backend = createPostgresBackend({
    connectionString: WRITER,
    schema,
    ...(extra.maintenance === false ? {} : { maintenanceConnectionString: ADMIN }),
  });
  openBackends.push(backend);
  return backend;
}

function keyring() {
  return createKeyring({ currentKeyId: 'k1', keys: { k1: randomBytes(32).toString('base64') } });
}

function tokenSet(tag: string): TokenSet {
  return new TokenSet({
    accessToken: `access-${tag}-${randomBytes(12).toString('hex')}`,
    refreshToken: `refresh-${tag}-${randomBytes(12).toString('hex')}`,
    expiresAt: Date.now() + 7_200_000,
    scopes: ['tweet.read', 'users.read', 'offline.access'],
    tokenType: 'bearer',
  });
}

function pgDumpBinary(): string {
  const debian = '/usr/lib/postgresql/15/bin/pg_dump';
  return existsSync(debian) ? debian : 'pg_dump';
}

/**
 * The schema's data as pg_dump writes it. Forced row-level security binds the table owner
 * too, so the dump opts into the maintenance policy (see the README's backup section).
 */
function dumpSchema(): string {
  const result = spawnSync(
    pgDumpBinary(),
    ['--dbname', ADMIN, '--schema', schema, '--enable-row-security', '--no-owner'],
    {
      encoding: 'utf8',
      env: { ...process.env, PGOPTIONS: '-c x_oauth.maintenance=on' },
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  if (result.status !== 0) throw new Error(`pg_dump failed: ${result.stderr}`);
  return result.stdout;
}

/** Runs `work` in a transaction as `connectionString`, with the owner set like the backend does. */
async function asRole<T>(
  connectionString: string,
  owner: { appId: string; userId: string } | undefined,
  work: (client: pg.Client) => Promise<T>,
): Promise<T> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    await client.query('BEGIN');
    if (owner !== undefined) {
      await client.query(
        `SELECT set_config('x_oauth.app_id', $1, true), set_config('x_oauth.user_id', $2, true)`,
        [owner.appId, owner.userId],
      );
    }
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  const result = await migratePostgres({
    adminConnectionString: ADMIN,
    schema,
    readerRole,
    writerRole,
    readerPassword,
    writerPassword,
  });
  expect(result.applied).toEqual(['0001_init.sql']);
});

afterAll(async () => {
  for (const backend of openBackends) await backend.close().catch(() => undefined);
  await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  for (const role of [readerRole, writerRole]) {
    await admin.query(`DROP OWNED BY "${role}"`).catch(() => undefined);
    await admin.query(`DROP ROLE IF EXISTS "${role}"`);
  }
  await admin.end();
});

// Through the read-write role, with the admin as the maintenance connection; one schema for
// the whole file (every conformance test uses its own app id).
describeBackendConformance('postgres', async () => {
  const backend = createPostgresBackend({
    connectionString: WRITER,
    maintenanceConnectionString: ADMIN,
    schema,
  });
  return { backend, cleanup: () => backend.close(), dumpRaw: async () => dumpSchema() };
});

describe('migratePostgres', () => {
  it('is idempotent and records what it applied', async () => {
    const again = await migratePostgres({
      adminConnectionString: ADMIN,
      schema,
      readerRole,
      writerRole,
    });
    expect(again.applied).toEqual([]);
    expect(again.current).toEqual(['0001_init.sql']);
    const recorded = await admin.query(`SELECT version, name FROM "${schema}".schema_migrations`);
    expect(recorded.rows).toEqual([{ version: 1, name: '0001_init.sql' }]);
  });

  it('refuses other role names for an already migrated schema, and bad identifiers', async () => {
    await expect(
      migratePostgres({
        adminConnectionString: ADMIN,
        schema,
        readerRole,
        writerRole: 'someone_else',
      }),
    ).rejects.toMatchObject({ code: TokenStoreErrorCode.InvalidConfig });
    await expect(
      migratePostgres({ adminConnectionString: ADMIN, schema: 'Robert"; DROP TABLE x; --' }),
    ).rejects.toMatchObject({ code: TokenStoreErrorCode.InvalidConfig });
  });

  it('enables and forces row-level security on the tokens table', async () => {
    const result = await admin.query(
      `SELECT relrowsecurity, relforcerowsecurity FROM pg_class
       WHERE oid = to_regclass($1)`,
      [`"${schema}".tokens`],
    );
    expect(result.rows[0]).toEqual({ relrowsecurity: true, relforcerowsecurity: true });
  });
});

describe('postgres: row-level security and privileges', () => {
  const alice = { appId: 'rls-app', userId: 'alice' };
  const bob = { appId: 'rls-app', userId: 'bob' };

  beforeAll(async () => {
    const store = createTokenStore({ backend: writerBackend(), keyring: keyring() });
    await store.writer.putOAuth2(alice.appId, alice.userId, tokenSet('alice'));
    await store.writer.putOAuth2(bob.appId, bob.userId, tokenSet('bob'));
  });

  it("hides another owner's row from the writer role (SELECT returns nothing)", async () => {
    const rows = await asRole(WRITER, alice, async (client) => {
      const targeted = await client.query(
        `SELECT * FROM "${schema}".tokens WHERE app_id = $1 AND user_id = $2`,
        [bob.appId, bob.userId],
      );
      const all = await client.query(`SELECT app_id, user_id FROM "${schema}".tokens`);
      return { targeted: targeted.rows, all: all.rows };
    });
    expect(rows.targeted).toEqual([]);
    expect(rows.all).toEqual([{ app_id: 'rls-app', user_id: 'alice' }]);
  });

  it("cannot update another owner's row (0 rows) nor move its own row to another owner", async () => {
    const updated = await asRole(WRITER, alice, (client) =>
      client.query(`UPDATE "${schema}".tokens SET status = 'needs_reauth' WHERE user_id = $1`, [
        bob.userId,
      ]),
    );
    expect(updated.rowCount).toBe(0);
    await expect(
      asRole(WRITER, alice, (client) =>
        client.query(`UPDATE "${schema}".tokens SET user_id = $1 WHERE user_id = $2`, [
          'carol',
          alice.userId,
        ]),
      ),
    ).rejects.toMatchObject({ code: '42501' });
  });

  it('refuses an INSERT for another owner (policy violation)', async () => {
    await expect(
      asRole(WRITER, alice, (client) =>
        client.query(
          `INSERT INTO "${schema}".tokens (app_id, user_id, kind, version, status, key_id, ciphertext, expires_at, updated_at)
           VALUES ($1, $2, 'oauth2', 1, 'active', 'k1', 'xts1.k1.a.b', NULL, 0)`,
          ['rls-app', 'carol'],
        ),
      ),
    ).rejects.toMatchObject({
      code: '42501',
      message: expect.stringContaining('row-level security'),
    });
  });

  it('denies DELETE to the writer role, even of its own row (permission error)', async () => {
    await expect(
      asRole(WRITER, alice, (client) =>
        client.query(`DELETE FROM "${schema}".tokens WHERE user_id = $1`, [alice.userId]),
      ),
    ).rejects.toMatchObject({
      code: '42501',
      message: expect.stringContaining('permission denied'),
    });
    await expect(
      asRole(WRITER, alice, (client) =>
        client.query(`DELETE FROM "${schema}".tokens WHERE user_id = $1`, [bob.userId]),
      ),
    ).rejects.toMatchObject({ code: '42501' });
  });

  it('sees nothing when no owner is set, and the owner does not outlive its transaction', async () => {
    const client = new pg.Client({ connectionString: WRITER });
    await client.connect();
    try {
      const unset = await client.query(`SELECT * FROM "${schema}".tokens`);
      expect(unset.rows).toEqual([]);
      await client.query('BEGIN');
      await client.query(
        `SELECT set_config('x_oauth.app_id', $1, true), set_config('x_oauth.user_id', $2, true)`,
        [alice.appId, alice.userId],
      );
      expect((await client.query(`SELECT * FROM "${schema}".tokens`)).rows).toHaveLength(1);
      await client.query('COMMIT');
      // Same pooled connection, next transaction: the setting is gone ('' now, not NULL).
      expect((await client.query(`SELECT * FROM "${schema}".tokens`)).rows).toEqual([]);
      // The backend's one-round-trip functions set the owner for their own statement only.
      const viaFunction = await client.query(`SELECT user_id FROM "${schema}".read_token($1, $2)`, [
        alice.appId,
        alice.userId,
      ]);
      expect(viaFunction.rows).toEqual([{ user_id: 'alice' }]);
      expect((await client.query(`SELECT * FROM "${schema}".tokens`)).rows).toEqual([]);
      const setting = await client.query(
        `SELECT current_setting('x_oauth.user_id', true) AS value`,
      );
      expect(setting.rows[0]?.value ?? '').toBe('');
    } finally {
      await client.end();
    }
  });

  it('lets the reader role SELECT its owner row only, and never INSERT or UPDATE', async () => {
    const seen = await asRole(READER, alice, (client) =>
      client.query(`SELECT user_id FROM "${schema}".tokens`),
    );
    expect(seen.rows).toEqual([{ user_id: 'alice' }]);
    await expect(
      asRole(READER, alice, (client) =>
        client.query(`UPDATE "${schema}".tokens SET status = 'needs_reauth'`),
      ),
    ).rejects.toMatchObject({ code: '42501' });
    await expect(
      asRole(READER, alice, (client) =>
        client.query(
          `INSERT INTO "${schema}".tokens (app_id, user_id, kind, version, status, key_id, ciphertext, expires_at, updated_at)
           VALUES ($1, $2, 'oauth2', 1, 'active', 'k1', 'xts1.k1.a.b', NULL, 0)`,
          ['rls-app', 'alice-2'],
        ),
      ),
    ).rejects.toMatchObject({ code: '42501' });
    const readerBackend = createPostgresBackend({ connectionString: READER, schema });
    openBackends.push(readerBackend);
    expect((await readerBackend.read(alice))?.userId).toBe('alice');
    const current = await readerBackend.read(alice);
    await expect(
      readerBackend.compareAndSwap(
        {
          ...(current ?? alice),
          ...alice,
          kind: 'oauth2',
          version: (current?.version ?? 0) + 1,
          status: 'active',
          keyId: 'k1',
          ciphertext: 'x',
          expiresAt: null,
          updatedAt: 0,
        },
        current?.version ?? 0,
      ),
    ).rejects.toMatchObject({ code: TokenStoreErrorCode.BackendError, causeCode: '42501' });
  });

  it('hides every row from the table owner unless it opts into maintenance (FORCE)', async () => {
    const plain = await admin.query(`SELECT * FROM "${schema}".tokens`);
    expect(plain.rows).toEqual([]);
  });

  it('refuses scanRows and delete without a maintenance connection (instead of seeing nothing)', async () => {
    const backend = writerBackend({ maintenance: false });
    const scan = async () => {
      for await (const _row of backend.scanRows()) {
        // never reached
      }
    };
    await expect(scan()).rejects.toMatchObject({ code: TokenStoreErrorCode.InvalidConfig });
    await expect(backend.delete(alice, 1)).rejects.toMatchObject({
      code: TokenStoreErrorCode.InvalidConfig,
    });
  });

  it('fails with TOKEN_STORE_DECRYPTION_FAILED on a row copied to another owner by the admin', async () => {
    const ring = keyring();
    const store = createTokenStore({ backend: writerBackend(), keyring: ring });
    await store.writer.putOAuth2('copy-app', 'victim', tokenSet('victim'));
    await store.writer.putOAuth2('copy-app', 'thief', tokenSet('thief'));
    const client = await admin.connect();
    try {
      await client.query('BEGIN');
      await client.query(`SELECT set_config('x_oauth.maintenance', 'on', true)`);
      await client.query(
        `UPDATE "${schema}".tokens SET ciphertext =
           (SELECT ciphertext FROM "${schema}".tokens WHERE app_id = 'copy-app' AND user_id = 'victim')
         WHERE app_id = 'copy-app' AND user_id = 'thief'`,
      );
      await client.query('COMMIT');
    } finally {
      client.release();
    }
    await expect(store.reader.get('copy-app', 'thief')).rejects.toMatchObject({
      code: TokenStoreErrorCode.DecryptionFailed,
    });
  });
});

describe('postgres: a dump holds no token', () => {
  it('pg_dump of the schema contains the envelopes but no token, secret or refresh token', async () => {
    const store = createTokenStore({ backend: writerBackend(), keyring: keyring() });
    const secrets: string[] = [];
    for (let index = 0; index < 10; index += 1) {
      const set = tokenSet(`dump${index}`);
      secrets.push(set.accessToken, set.refreshToken ?? '');
      await store.writer.putOAuth2('dump-app', `user-${index}`, set);
    }
    const oauth1 = {
      key: `oauth1-token-${randomBytes(12).toString('hex')}`,
      secret: `oauth1-secret-${randomBytes(12).toString('hex')}`,
      xUserId: '777',
      screenName: 'dumped',
      accessLevel: 'read' as const,
    };
    secrets.push(oauth1.key, oauth1.secret);
    await store.writer.putOAuth1('dump-app', 'oauth1-user', oauth1);
    const dump = dumpSchema();
    expect(dump).toContain('dump-app');
    expect(dump).toContain('xts1.');
    for (const secret of secrets) expect(dump.includes(secret)).toBe(false);
  });
});

describe('postgres: the advisory refresh lock', () => {
  const owner = { appId: 'lock-app', userId: 'lock-user' };

  it('is exclusive across two pools, and a waiter gets it after release', async () => {
    const first = writerBackend();
    const second = writerBackend();
    const held = await first.acquireRefreshLock(owner, { ttlMs: 30_000, waitMs: 0 });
    const started = performance.now();
    await expect(
      second.acquireRefreshLock(owner, { ttlMs: 30_000, waitMs: 200 }),
    ).rejects.toMatchObject({ code: TokenStoreErrorCode.LockTimeout, retryable: true });
    expect(performance.now() - started).toBeGreaterThanOrEqual(150);
    await expect(
      second.acquireRefreshLock(owner, { ttlMs: 30_000, waitMs: 0 }),
    ).rejects.toMatchObject({ code: TokenStoreErrorCode.LockTimeout });
    const other = await second.acquireRefreshLock(
      { appId: 'lock-app', userId: 'other-user' },
      { ttlMs: 30_000, waitMs: 0 },
    );
    await other.release();
    const waiting = second.acquireRefreshLock(owner, { ttlMs: 30_000, waitMs: 5_000 });
    setTimeout(() => void held.release(), 50);
    const taken = await waiting;
    await held.release(); // idempotent, and does not touch the new holder's lock
    await expect(
      first.acquireRefreshLock(owner, { ttlMs: 30_000, waitMs: 50 }),
    ).rejects.toMatchObject({ code: TokenStoreErrorCode.LockTimeout });
    await taken.release();
  });

  it("is freed when the holder's connection is terminated", async () => {
    const first = writerBackend();
    const second = writerBackend();
    const lockOwner = { appId: 'lock-app', userId: 'terminated' };
    const held = await first.acquireRefreshLock(lockOwner, { ttlMs: 60_000, waitMs: 0 });
    // pg_terminate_backend needs the privileges of the backend's role.
    await admin.query(`GRANT "${writerRole}" TO CURRENT_USER`);
    const holders = await admin.query<{ pid: number }>(
      `SELECT l.pid FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
       WHERE l.locktype = 'advisory' AND l.granted AND a.usename = $1`,
      [writerRole],
    );
    expect(holders.rows).toHaveLength(1);
    const waiting = second.acquireRefreshLock(lockOwner, { ttlMs: 60_000, waitMs: 5_000 });
    const started = performance.now();
    await admin.query('SELECT pg_terminate_backend($1)', [holders.rows[0]?.pid]);
    const taken = await waiting;
    expect(performance.now() - started).toBeLessThan(2_000);
    await held.release(); // the dead session's release is a no-op, not an error
    await taken.release();
  });

  it('is freed after the TTL when the holder never releases (idle-in-transaction timeout)', async () => {
    const first = writerBackend();
    const second = writerBackend();
    const lockOwner = { appId: 'lock-app', userId: 'hung-holder' };
    const held = await first.acquireRefreshLock(lockOwner, { ttlMs: 300, waitMs: 0 });
    const started = performance.now();
    const taken = await second.acquireRefreshLock(lockOwner, { ttlMs: 30_000, waitMs: 5_000 });
    expect(performance.now() - started).toBeGreaterThanOrEqual(200);
    await held.release();
    await taken.release();
  });
});
