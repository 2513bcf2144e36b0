// Opens a backend of the built package (dist) from a plain-data description, so a child
// process gets the same backend as its parent test: the SQLite file, the PostgreSQL schema or
// the Redis prefix the test created.

/**
 * @typedef {{ kind: 'sqlite', path: string }
 *   | { kind: 'postgres' | 'pgbouncer', connectionString: string, maintenanceConnectionString: string, schema: string }
 *   | { kind: 'redis', url: string, prefix: string }
 *   | { kind: 'redis-cluster', nodes: { host: string, port: number }[], prefix: string }} BackendConfig
 */

/**
 * @param {BackendConfig} config
 * @returns {Promise<import('@x-oauth/token-store').TokenBackend>}
 */
export async function openBackend(config) {
  switch (config.kind) {
    case 'sqlite': {
      const { createSqliteBackend } = await import('@x-oauth/token-store/sqlite');
      return createSqliteBackend({ path: config.path });
    }
    case 'postgres':
    case 'pgbouncer': {
      const { createPostgresBackend } = await import('@x-oauth/token-store/postgres');
      return createPostgresBackend({
        connectionString: config.connectionString,
        maintenanceConnectionString: config.maintenanceConnectionString,
        schema: config.schema,
      });
    }
    case 'redis': {
      const { createRedisBackend } = await import('@x-oauth/token-store/redis');
      return createRedisBackend({ url: config.url, prefix: config.prefix });
    }
    case 'redis-cluster': {
      const { createRedisBackend } = await import('@x-oauth/token-store/redis');
      const { Cluster } = await import('ioredis');
      const client = new Cluster(config.nodes, {
        redisOptions: { enableReadyCheck: false, disableClientInfo: true },
      });
      client.on('error', () => undefined);
      const backend = createRedisBackend({ client, prefix: config.prefix });
      // The worker owns this client: closing the backend closes it too.
      const close = backend.close.bind(backend);
      backend.close = async () => {
        await close();
        client.disconnect();
      };
      return backend;
    }
    default:
      throw new Error(`unknown backend kind ${JSON.stringify(config.kind)}`);
  }
}

/**
 * Answers the parent's requests (`{ id, type, ...}`) with `{ id, ok, result | error }`, one
 * handler per request type; the handler's error is sent as its code and message.
 *
 * @param {Record<string, (message: any) => Promise<unknown>>} handlers
 */
export function serveParent(handlers) {
  process.on('message', async (message) => {
    const handler = handlers[message.type];
    try {
      if (handler === undefined) throw new Error(`unknown request ${message.type}`);
      const result = await handler(message);
      process.send?.({ id: message.id, ok: true, result });
    } catch (error) {
      process.send?.({
        id: message.id,
        ok: false,
        error: { code: error?.code, message: String(error?.message ?? error) },
      });
    }
  });
  // The parent's death (a failed or interrupted test) ends the worker too.
  process.on('disconnect', () => process.exit(0));
}
