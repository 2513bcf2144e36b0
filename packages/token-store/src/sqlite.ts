// Entry `@x-oauth/token-store/sqlite`: the only module that imports better-sqlite3, so users of
// the other backends install nothing for it.

export { createSqliteBackend, type SqliteBackendOptions } from './backends/sqlite/backend.js';
