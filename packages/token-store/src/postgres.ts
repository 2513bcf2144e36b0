// Entry `@x-oauth/token-store/postgres`: the only module that imports pg, so users of the other
// backends install nothing for it.

export {
  createPostgresBackend,
  type PostgresBackendOptions,
} from './backends/postgres/backend.js';
export {
  type MigratePostgresOptions,
  type MigratePostgresResult,
  migratePostgres,
} from './backends/postgres/schema.js';
