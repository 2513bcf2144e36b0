// Applies the versioned SQL files of migrations/postgres/ once each, in one transaction, and
// records them (with a checksum and the role names they were applied with) in
// <schema>.schema_migrations. A transaction-level advisory lock serializes concurrent runs
// (two deploys starting at once), so the second one finds everything applied and does nothing.

import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { TokenStoreError, TokenStoreErrorCode } from '../../errors.js';
import { toPostgresBackendError } from './errors.js';
import { checkIdentifier } from './identifiers.js';
import { scramSha256Verifier } from './scram.js';

/** Options of {@link migratePostgres}. */
export interface MigratePostgresOptions {
  /**
   * A role that may create the schema and roles: it owns the database (or has CREATE on it) and
   * has CREATEROLE. It becomes the owner of the tables.
   */
  readonly adminConnectionString: string;
  /** Schema to create the tables in; `x_oauth` by default. */
  readonly schema?: string;
  /** The read-only role (SELECT of its owner's row); `x_oauth_reader` by default. */
  readonly readerRole?: string;
  /** The read-write role (SELECT, INSERT, UPDATE of its owner's row); `x_oauth_writer` by default. */
  readonly writerRole?: string;
  /**
   * The role that may scan every row (key rotation) and delete rows, in transactions that set
   * `x_oauth.maintenance = 'on'`; the admin connection's role by default.
   */
  readonly maintenanceRole?: string;
  /** Sets (or changes) the reader role's login password (12+ characters); sent pre-hashed (SCRAM-SHA-256). */
  readonly readerPassword?: string;
  /** Sets (or changes) the writer role's login password (12+ characters); sent pre-hashed (SCRAM-SHA-256). */
  readonly writerPassword?: string;
  /** Where the `NNNN_name.sql` files are; found next to the package by default. */
  readonly migrationsDirectory?: string;
}

/** What {@link migratePostgres} did. */
export interface MigratePostgresResult {
  /** The schema migrated. */
  readonly schema: string;
  /** File names applied by this run, in order (empty when everything was applied before). */
  readonly applied: readonly string[];
  /** Every migration recorded in the schema after this run. */
  readonly current: readonly string[];
}

interface MigrationFile {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
  readonly checksum: string;
}

const MIGRATION_FILE = /^(\d{4})_[a-z0-9_]+\.sql$/;

/**
 * Creates or upgrades the token store's schema, roles, grants and row-level security policies
 * in PostgreSQL. Idempotent: run it on every deploy. Each file runs once, all in one
 * transaction; an already applied file whose content changed is refused.
 *
 * @example
 * await migratePostgres({
 *   adminConnectionString: process.env.DATABASE_ADMIN_URL,
 *   writerPassword: process.env.TOKEN_WRITER_PASSWORD,
 * });
 */
export async function migratePostgres(
  options: MigratePostgresOptions,
): Promise<MigratePostgresResult> {
  if (typeof options?.adminConnectionString !== 'string' || options.adminConnectionString === '') {
    throw new TokenStoreError(
      TokenStoreErrorCode.InvalidConfig,
      'migratePostgres needs `adminConnectionString`.',
    );
  }
  const schema = checkIdentifier(options.schema ?? 'x_oauth', '`schema`');
  const readerRole = checkIdentifier(options.readerRole ?? 'x_oauth_reader', '`readerRole`');
  const writerRole = checkIdentifier(options.writerRole ?? 'x_oauth_writer', '`writerRole`');
  if (readerRole === writerRole) {
    throw new TokenStoreError(
      TokenStoreErrorCode.InvalidConfig,
      '`readerRole` and `writerRole` must be different roles.',
    );
  }
  for (const [name, value] of [
    ['readerPassword', options.readerPassword],
    ['writerPassword', options.writerPassword],
  ] as const) {
    if (value !== undefined && (typeof value !== 'string' || value.length < 12)) {
      throw new TokenStoreError(
        TokenStoreErrorCode.InvalidConfig,
        `\`${name}\` must be a string of at least 12 characters.`,
      );
    }
  }
  const files = readMigrationFiles(options.migrationsDirectory ?? findMigrationsDirectory());

  const client = new pg.Client({ connectionString: options.adminConnectionString });
  client.on('error', () => {
    // A dropped connection also fails the pending query, which is what reports it.
  });
  try {
    await client.connect();
  } catch (error) {
    throw toPostgresBackendError('connect (migrate)', error);
  }
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [
      'x-oauth/token-store/migrate',
    ]);
    const who = await client.query<{ current_user: string }>('SELECT current_user');
    const maintenanceRole = checkIdentifier(
      options.maintenanceRole ?? who.rows[0]?.current_user,
      '`maintenanceRole` (or the admin role)',
    );
    if (maintenanceRole === readerRole || maintenanceRole === writerRole) {
      throw new TokenStoreError(
        TokenStoreErrorCode.InvalidConfig,
        'The maintenance role must differ from the reader and writer roles.',
      );
    }
    const parameters = { readerRole, writerRole, maintenanceRole };
    await client.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
    await client.query(
      `CREATE TABLE IF NOT EXISTS "${schema}".schema_migrations (
         version integer PRIMARY KEY,
         name text NOT NULL,
         checksum text NOT NULL,
         parameters jsonb NOT NULL,
         applied_at timestamptz NOT NULL DEFAULT now()
       )`,
    );
    const done = await client.query<{
      version: number;
      name: string;
      checksum: string;
      parameters: unknown;
    }>(
      `SELECT version, name, checksum, parameters FROM "${schema}".schema_migrations ORDER BY version`,
    );
    const applied = new Map(done.rows.map((row) => [row.version, row]));
    const first = done.rows[0];
    if (first !== undefined && !sameParameters(first.parameters, parameters)) {
      throw new TokenStoreError(
        TokenStoreErrorCode.InvalidConfig,
        `Schema ${schema} was migrated with other role names; pass the same readerRole, writerRole and maintenanceRole.`,
      );
    }
    const appliedNow: string[] = [];
    for (const file of files) {
      const previous = applied.get(file.version);
      if (previous !== undefined) {
        if (previous.checksum !== file.checksum) {
          throw new TokenStoreError(
            TokenStoreErrorCode.InvalidConfig,
            `Migration ${file.name} changed after it was applied to schema ${schema}; never edit an applied migration, add a new one.`,
          );
        }
        continue;
      }
      await client.query(renderMigration(file.sql, schema, parameters));
      await client.query(
        `INSERT INTO "${schema}".schema_migrations (version, name, checksum, parameters)
         VALUES ($1, $2, $3, $4)`,
        [file.version, file.name, file.checksum, JSON.stringify(parameters)],
      );
      appliedNow.push(file.name);
    }
    // Passwords are configuration, not schema: applied on every run that passes them.
    if (options.readerPassword !== undefined) {
      await client.query(
        `ALTER ROLE "${readerRole}" PASSWORD '${scramSha256Verifier(options.readerPassword)}'`,
      );
    }
    if (options.writerPassword !== undefined) {
      await client.query(
        `ALTER ROLE "${writerRole}" PASSWORD '${scramSha256Verifier(options.writerPassword)}'`,
      );
    }
    await client.query('COMMIT');
    const names = [...applied.values()].map((row) => row.name).concat(appliedNow);
    return { schema, applied: appliedNow, current: names.sort() };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw toPostgresBackendError('migrate', error);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * Replaces a migration file's placeholders with the (already checked) schema and role names;
 * throws `TOKEN_STORE_INVALID_CONFIG` on an unknown placeholder.
 */
export function renderMigration(
  sql: string,
  schema: string,
  roles: { readerRole: string; writerRole: string; maintenanceRole: string },
): string {
  const values: Record<string, string> = {
    schema: `"${schema}"`,
    reader_role: `"${roles.readerRole}"`,
    writer_role: `"${roles.writerRole}"`,
    maintenance_role: `"${roles.maintenanceRole}"`,
    reader_role_literal: `'${roles.readerRole}'`,
    writer_role_literal: `'${roles.writerRole}'`,
  };
  return sql.replace(/\{\{([a-z_]+)\}\}/g, (match, name: string) => {
    const value = values[name];
    if (value === undefined) {
      throw new TokenStoreError(
        TokenStoreErrorCode.InvalidConfig,
        `Unknown placeholder ${match} in a migration file.`,
      );
    }
    return value;
  });
}

function sameParameters(stored: unknown, wanted: Record<string, string>): boolean {
  if (typeof stored !== 'object' || stored === null) return false;
  const record = stored as Record<string, unknown>;
  return Object.entries(wanted).every(([key, value]) => record[key] === value);
}

/** Reads `NNNN_name.sql` files in version order. */
export function readMigrationFiles(directory: string): MigrationFile[] {
  let names: string[];
  try {
    names = readdirSync(directory).filter((name) => MIGRATION_FILE.test(name));
  } catch (error) {
    throw new TokenStoreError(
      TokenStoreErrorCode.InvalidConfig,
      `Cannot read the PostgreSQL migrations directory ${directory}.`,
      { cause: error },
    );
  }
  names.sort();
  return names.map((name) => {
    const sql = readFileSync(join(directory, name), 'utf8');
    return {
      version: Number(name.slice(0, 4)),
      name,
      sql,
      checksum: createHash('sha256').update(sql).digest('hex'),
    };
  });
}

/**
 * The package's `migrations/postgres` directory: up from this module (which is `src/backends/`
 * in the sources and `dist/` once built) until a directory holding it is found.
 */
export function findMigrationsDirectory(): string {
  let directory = moduleDirectory();
  for (let depth = 0; directory !== undefined && depth < 5; depth += 1) {
    const candidate = join(directory, 'migrations', 'postgres');
    if (existsSync(candidate)) return candidate;
    const parent = dirname(directory);
    if (parent === directory) break;
    directory = parent;
  }
  throw new TokenStoreError(
    TokenStoreErrorCode.InvalidConfig,
    'Cannot find the migrations/postgres directory of @x-oauth/token-store; pass `migrationsDirectory`.',
  );
}

function moduleDirectory(): string | undefined {
  // CommonJS build: __dirname. ESM build and sources: import.meta.url.
  if (typeof __dirname === 'string') return __dirname;
  try {
    return dirname(fileURLToPath(import.meta.url));
  } catch {
    return undefined;
  }
}
