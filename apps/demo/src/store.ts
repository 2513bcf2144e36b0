// Opens the demo's token store: SQLite under the data directory by default, or PostgreSQL or
// Redis from a URL, encrypted with the demo's keys.
import { join, resolve } from 'node:path';
import {
  createKeyring,
  createTokenStore,
  keyringFromFile,
  type TokenBackend,
  type TokenStore,
} from '@x-oauth/token-store';
import { ensureDataDir, loadDemoKeys } from './key-file.js';

const ENV_KEY_SOURCE = 'X_OAUTH_DEMO_KEY';
const KEY_RELOAD_INTERVAL_MS = 2_000;

/** A `--store` (or `X_OAUTH_STORE`) the demo cannot use; the message never holds a password. */
export class DemoStoreError extends Error {
  readonly code = 'DEMO_UNKNOWN_STORE';

  constructor(message: string) {
    super(message);
    this.name = 'DemoStoreError';
  }
}

/** Options of {@link openDemoStore}. */
export interface OpenDemoStoreOptions {
  /**
   * `undefined` (SQLite at `<dataDir>/tokens.sqlite`), `sqlite:<path>`, `postgres://…`
   * (migrated with the same URL as admin, then used) or `redis://…`.
   */
  store?: string | undefined;
  /** The data directory (created 0700): the SQLite file and the generated key live here. */
  dataDir: string;
  env: NodeJS.ProcessEnv;
  /** Where warnings go; stderr by default. */
  log?: ((line: string) => void) | undefined;
}

/** The store and a one-line description of where it keeps tokens (no password in it). */
export interface DemoStore {
  store: TokenStore;
  description: string;
}

/**
 * Opens the token store the demo keeps users' tokens in. The encryption key comes from
 * `X_OAUTH_DEMO_KEY` (base64, 32 bytes) or is generated once into `<dataDir>/demo-key` (0600).
 */
export async function openDemoStore(options: OpenDemoStoreOptions): Promise<DemoStore> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const dataDir = resolve(options.dataDir);
  ensureDataDir(dataDir);
  const keys = loadDemoKeys(dataDir, options.env, log);
  // Keys from the key file are a source the store re-reads (every 2 s, and at once when a row
  // names a key it does not hold), so `x-oauth tokens rotate-key` in another process is picked
  // up by a running demo before the new key is used (rolling rotation).
  const keyring =
    keys.source === ENV_KEY_SOURCE
      ? createKeyring({ currentKeyId: keys.currentKeyId, keys: keys.keys })
      : keyringFromFile(keys.source, { reloadIntervalMs: KEY_RELOAD_INTERVAL_MS });
  const { backend, description } = await openBackend(options.store, dataDir);
  return { store: createTokenStore({ backend, keyring }), description };
}

async function openBackend(
  store: string | undefined,
  dataDir: string,
): Promise<{ backend: TokenBackend; description: string }> {
  if (store === undefined || store === '' || store.startsWith('sqlite:')) {
    const given = store?.slice('sqlite:'.length) ?? '';
    const path = given === '' ? join(dataDir, 'tokens.sqlite') : resolve(given);
    const { createSqliteBackend } = await import('@x-oauth/token-store/sqlite');
    return { backend: createSqliteBackend({ path }), description: `SQLite at ${path}` };
  }
  if (store.startsWith('postgres://') || store.startsWith('postgresql://')) {
    const { createPostgresBackend, migratePostgres } = await import(
      '@x-oauth/token-store/postgres'
    );
    // One URL for everything keeps the demo to one setting; a deployment gives the app the
    // writer role and keeps the admin role for migrations and rotation.
    await migratePostgres({ adminConnectionString: store });
    return {
      backend: createPostgresBackend({
        connectionString: store,
        maintenanceConnectionString: store,
      }),
      description: `PostgreSQL at ${describeUrl(store)}`,
    };
  }
  if (store.startsWith('redis://') || store.startsWith('rediss://')) {
    const { createRedisBackend } = await import('@x-oauth/token-store/redis');
    return {
      backend: createRedisBackend({ url: store }),
      description: `Redis at ${describeUrl(store)}`,
    };
  }
  throw new DemoStoreError(
    `Unknown store "${describeUrl(store)}": use sqlite:<path>, postgres://… or redis://… (for example --store sqlite:.x-oauth/tokens.sqlite).`,
  );
}

/** The URL without its user and password. */
function describeUrl(value: string): string {
  try {
    const url = new URL(value);
    return `${url.protocol}//${url.host}${url.pathname === '/' ? '' : url.pathname}`;
  } catch {
    return value.replace(/\/\/[^@/]*@/, '//');
  }
}
