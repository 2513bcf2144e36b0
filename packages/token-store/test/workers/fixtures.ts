// Parent-side helpers of the multi-process tests (refresh race, SIGKILL): a shared backend per
// kind (a SQLite file in a temp dir, a PostgreSQL schema with its own roles, a Redis prefix),
// each cleaned up afterwards, and child processes driven by request/response IPC messages.
import { type ChildProcess, fork } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Cluster, Redis } from 'ioredis';
import pg from 'pg';
import type { TokenBackend } from '../../src/backend.js';
import { escapeGlob } from '../../src/backends/redis/keys.js';
import { createPostgresBackend, migratePostgres } from '../../src/postgres.js';
import { createRedisBackend } from '../../src/redis.js';
import { createSqliteBackend } from '../../src/sqlite.js';

/** The backends that several processes can share. */
export type SharedBackendKind = 'sqlite' | 'postgres' | 'redis' | 'redis-cluster' | 'pgbouncer';

/** What a worker needs to open the same backend (see open-backend.mjs). */
export type BackendConfig =
  | { kind: 'sqlite'; path: string }
  | {
      kind: 'postgres' | 'pgbouncer';
      connectionString: string;
      maintenanceConnectionString: string;
      schema: string;
    }
  | { kind: 'redis'; url: string; prefix: string }
  | { kind: 'redis-cluster'; nodes: { host: string; port: number }[]; prefix: string };

/** A backend set up for one test file: its config for workers, and its cleanup. */
export interface SharedBackend {
  readonly kind: SharedBackendKind;
  readonly config: BackendConfig;
  /** A new backend on the same storage, for the test process itself (from the sources). */
  open(): TokenBackend;
  /** Deletes the file, schema and roles, or keys. */
  cleanup(): Promise<void>;
}

export const POSTGRES_ADMIN_URL =
  process.env.X_OAUTH_TEST_POSTGRES_ADMIN ??
  'postgres://x_oauth_admin:x_oauth_admin@127.0.0.1:5432/x_oauth_test';
export const REDIS_URL = process.env.X_OAUTH_TEST_REDIS ?? 'redis://127.0.0.1:6390';
/** PgBouncer (transaction pooling) in front of the same PostgreSQL; credentials are replaced. */
export const PGBOUNCER_URL =
  process.env.X_OAUTH_TEST_PGBOUNCER ?? 'postgres://127.0.0.1:6432/x_oauth_test';
/** The Redis Cluster's seed nodes, `host:port,host:port,...` (scripts/services.sh starts it). */
export const REDIS_CLUSTER_NODES = (
  process.env.X_OAUTH_TEST_REDIS_CLUSTER ??
  '127.0.0.1:7101,127.0.0.1:7102,127.0.0.1:7103,127.0.0.1:7104,127.0.0.1:7105,127.0.0.1:7106'
)
  .split(',')
  .map((node) => {
    const [host = '', port = ''] = node.trim().split(':');
    return { host, port: Number(port) };
  });

/** A Cluster client on the test cluster, or on `nodes` (the caller closes it). */
export function redisClusterClient(
  nodes: readonly { host: string; port: number }[] = REDIS_CLUSTER_NODES,
): Cluster {
  const cluster = new Cluster([...nodes], {
    redisOptions: { enableReadyCheck: false, disableClientInfo: true },
  });
  cluster.on('error', () => undefined);
  return cluster;
}

/** Replaces the user and password of a connection string. */
export function withCredentials(url: string, user: string, password: string): string {
  const parsed = new URL(url);
  parsed.username = user;
  parsed.password = password;
  return parsed.toString();
}

const packageRoot = fileURLToPath(new URL('../../', import.meta.url));

/**
 * Workers import the built package (dist), as users do. Throws when it is missing, so a
 * forgotten build fails the test instead of testing stale code silently... or nothing.
 */
export function assertDistBuilt(): void {
  for (const entry of ['index.js', 'sqlite.js', 'postgres.js', 'redis.js']) {
    if (!existsSync(join(packageRoot, 'dist', entry))) {
      throw new Error(
        `dist/${entry} is missing: run \`pnpm exec turbo run build --filter=@x-oauth/token-store\` first (the test task depends on build).`,
      );
    }
  }
}

/**
 * Sets up a fresh, empty backend of `kind` that child processes can open too; `clusterNodes`
 * puts a `redis-cluster` backend on another cluster than the shared one (a private one).
 */
export async function setUpSharedBackend(
  kind: SharedBackendKind,
  tag: string,
  options: { clusterNodes?: readonly { host: string; port: number }[] } = {},
): Promise<SharedBackend> {
  const unique = `${tag}_${process.pid}_${randomUUID().slice(0, 8)}`.replace(/[^a-z0-9_]/gi, '_');
  if (kind === 'sqlite') {
    const directory = await mkdtemp(join(tmpdir(), `x-oauth-${tag}-`));
    const path = join(directory, 'tokens.db');
    return {
      kind,
      config: { kind, path },
      open: () => createSqliteBackend({ path }),
      cleanup: () => rm(directory, { recursive: true, force: true }),
    };
  }
  if (kind === 'redis') {
    const prefix = `x-oauth-test:${unique}:`;
    return {
      kind,
      config: { kind, url: REDIS_URL, prefix },
      open: () => createRedisBackend({ url: REDIS_URL, prefix }),
      cleanup: () => deleteRedisPrefix(prefix),
    };
  }
  if (kind === 'redis-cluster') {
    const prefix = `x-oauth-test:${unique}:`;
    const nodes = [...(options.clusterNodes ?? REDIS_CLUSTER_NODES)];
    const clients: Cluster[] = [];
    return {
      kind,
      config: { kind, nodes, prefix },
      open: () => {
        const client = redisClusterClient(nodes);
        clients.push(client);
        return createRedisBackend({ client, prefix });
      },
      cleanup: async () => {
        await deleteRedisClusterPrefix(prefix, nodes);
        for (const client of clients) client.disconnect();
      },
    };
  }
  const schema = `x_oauth_${unique}`.toLowerCase();
  const readerRole = `${schema}_r`;
  const writerRole = `${schema}_w`;
  const writerPassword = randomBytes(18).toString('base64url');
  await migratePostgres({
    adminConnectionString: POSTGRES_ADMIN_URL,
    schema,
    readerRole,
    writerRole,
    writerPassword,
  });
  // Through PgBouncer, both the writer and the maintenance connection go through the pooler.
  const viaUrl = kind === 'pgbouncer' ? PGBOUNCER_URL : POSTGRES_ADMIN_URL;
  const admin = new URL(POSTGRES_ADMIN_URL);
  const config: BackendConfig = {
    kind,
    connectionString: withCredentials(viaUrl, writerRole, writerPassword),
    maintenanceConnectionString: withCredentials(
      viaUrl,
      decodeURIComponent(admin.username),
      decodeURIComponent(admin.password),
    ),
    schema,
  };
  return {
    kind,
    config,
    open: () =>
      createPostgresBackend({
        connectionString: config.connectionString,
        maintenanceConnectionString: config.maintenanceConnectionString,
        schema,
      }),
    cleanup: () => dropPostgresSchema(schema, [readerRole, writerRole]),
  };
}

async function deleteRedisPrefix(prefix: string): Promise<void> {
  const admin = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await admin.scan(
        cursor,
        'MATCH',
        `${escapeGlob(prefix)}*`,
        'COUNT',
        500,
      );
      cursor = next;
      if (keys.length > 0) await admin.del(...keys);
    } while (cursor !== '0');
  } finally {
    admin.disconnect();
  }
}

async function deleteRedisClusterPrefix(
  prefix: string,
  nodes: readonly { host: string; port: number }[],
): Promise<void> {
  const cluster = redisClusterClient(nodes);
  try {
    for (const node of cluster.nodes('master')) {
      let cursor = '0';
      do {
        const [next, keys] = await node.scan(
          cursor,
          'MATCH',
          `${escapeGlob(prefix)}*`,
          'COUNT',
          500,
        );
        cursor = next;
        // One key per DEL: a multi-key DEL must stay within one slot.
        for (const key of keys) await node.del(key);
      } while (cursor !== '0');
    }
  } finally {
    cluster.disconnect();
  }
}

async function dropPostgresSchema(schema: string, roles: readonly string[]): Promise<void> {
  const client = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
  await client.connect();
  try {
    const quoted = (name: string) => `"${name.replaceAll('"', '""')}"`;
    await client.query(`DROP SCHEMA IF EXISTS ${quoted(schema)} CASCADE`);
    // The roles' privileges lived in the schema, so they can go now. DROP OWNED BY would need
    // membership in the role, which the admin (CREATEROLE only) does not have.
    for (const role of roles) await client.query(`DROP ROLE IF EXISTS ${quoted(role)}`);
  } finally {
    await client.end();
  }
}

/** A reply of a worker: the result of a request, or its error's code and message. */
type Reply = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: unknown };

/** A child process answering requests (see `serveParent` in open-backend.mjs). */
export class WorkerProcess {
  readonly child: ChildProcess;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  #nextId = 1;
  readonly #pending = new Map<
    number,
    { resolve: (value: unknown) => void; reject: (error: Error) => void }
  >();
  readonly #listeners: ((message: Record<string, unknown>) => void)[] = [];

  constructor(script: string) {
    this.child = fork(fileURLToPath(new URL(script, import.meta.url)), [], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.exited = new Promise((resolve) => {
      this.child.once('exit', (code, signal) => {
        for (const { reject } of this.#pending.values()) {
          reject(new Error(`worker ${this.child.pid} exited (${signal ?? code})`));
        }
        this.#pending.clear();
        resolve({ code, signal });
      });
    });
    this.child.on('message', (message: Reply | Record<string, unknown>) => {
      const id = (message as Reply).id;
      const pending = typeof id === 'number' ? this.#pending.get(id) : undefined;
      if (pending === undefined) {
        for (const listener of this.#listeners) listener(message as Record<string, unknown>);
        return;
      }
      this.#pending.delete(id);
      const reply = message as Reply;
      if (reply.ok) pending.resolve(reply.result);
      else pending.reject(new Error(`worker request failed: ${JSON.stringify(reply.error)}`));
    });
  }

  /** Sends `{ type, ...payload }` and resolves with the worker's result. */
  request<T>(type: string, payload: Record<string, unknown> = {}): Promise<T> {
    const id = this.#nextId++;
    return new Promise<T>((resolve, reject) => {
      this.#pending.set(id, { resolve: (value) => resolve(value as T), reject });
      this.child.send({ id, type, ...payload });
    });
  }

  /** Calls `listener` with every message that is not a reply (events such as `wrote`). */
  onEvent(listener: (message: Record<string, unknown>) => void): void {
    this.#listeners.push(listener);
  }

  /** Asks the worker to close, then waits for it to exit (killing it if it lingers). */
  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5_000);
    try {
      await this.request('close').catch(() => undefined);
      this.child.disconnect();
      await this.exited;
    } finally {
      clearTimeout(timer);
    }
  }
}

/** A keyring configuration with fresh random keys (plain data, so it can go over IPC). */
export function randomKeyringConfig(currentKeyId = 'k1'): {
  currentKeyId: string;
  keys: Record<string, string>;
} {
  return {
    currentKeyId,
    keys: { k1: randomBytes(32).toString('base64'), k2: randomBytes(32).toString('base64') },
  };
}
