// The PostgreSQL backend through PgBouncer in transaction pooling mode (scripts/services.sh
// starts it on 127.0.0.1:6432, X_OAUTH_TEST_PGBOUNCER): consecutive transactions of one client
// land on different server connections, so any session state (session advisory locks, a
// session `SET`, named prepared statements) would leak or vanish. The conformance suite runs
// through it; the multi-process refresh race runs through it in refresh-race.test.ts.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresBackend } from '../src/postgres.js';
import { describeBackendConformance } from './conformance.js';
import { POSTGRES_ADMIN_URL, type SharedBackend, setUpSharedBackend } from './workers/fixtures.js';

let shared: SharedBackend;

beforeAll(async () => {
  shared = await setUpSharedBackend('pgbouncer', 'bouncer');
});

afterAll(async () => {
  await shared?.cleanup();
});

function dumpSchema(schema: string): string {
  const debian = '/usr/lib/postgresql/15/bin/pg_dump';
  const result = spawnSync(
    existsSync(debian) ? debian : 'pg_dump',
    ['--dbname', POSTGRES_ADMIN_URL, '--schema', schema, '--enable-row-security', '--no-owner'],
    {
      encoding: 'utf8',
      env: { ...process.env, PGOPTIONS: '-c x_oauth.maintenance=on' },
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  if (result.status !== 0) throw new Error(`pg_dump failed: ${result.stderr}`);
  return result.stdout;
}

function config() {
  if (shared.config.kind !== 'pgbouncer') throw new Error('expected a pgbouncer backend');
  return shared.config;
}

describeBackendConformance('postgres through pgbouncer (transaction pooling)', async () => {
  const { connectionString, maintenanceConnectionString, schema } = config();
  const backend = createPostgresBackend({ connectionString, maintenanceConnectionString, schema });
  return {
    backend,
    cleanup: () => backend.close(),
    dumpRaw: async () => dumpSchema(schema),
  };
});

describe('postgres through pgbouncer', () => {
  it('really goes through the pooler in transaction mode', async () => {
    const { connectionString } = config();
    const url = new URL(connectionString);
    expect(url.port).toBe(
      new URL(process.env.X_OAUTH_TEST_PGBOUNCER ?? 'postgres://h:6432/d').port,
    );
    const admin = new URL(connectionString);
    admin.username = 'x_oauth_pgbouncer';
    admin.password = 'x_oauth_pgbouncer';
    admin.pathname = '/pgbouncer';
    const result = spawnSync('psql', [admin.toString(), '-tAc', 'SHOW CONFIG'], {
      encoding: 'utf8',
    });
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^pool_mode\|transaction\|/m);
  });
});
