export { buildServer, type ServerOptions } from './server.js';
export { migrate } from './store/migrate.js';
export { MIGRATIONS, type Migration } from './store/migrations.js';
export { type OpenStoreOptions, openStore } from './store/open-store.js';
export { openPgliteClient } from './store/pglite-client.js';
export { openPostgresClient, type PostgresClientOptions } from './store/postgres-client.js';
export type { SqlClient, SqlExecutor, SqlResult } from './store/sql-client.js';
export { SqlStore } from './store/sql-store.js';
