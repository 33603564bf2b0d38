import { migrate } from './migrate.js';
import { openPgliteClient } from './pglite-client.js';
import { openPostgresClient } from './postgres-client.js';
import type { SqlClient } from './sql-client.js';
import { SqlStore } from './sql-store.js';

/** Where {@link openStore} keeps the records. */
export interface OpenStoreOptions {
  /** A PostgreSQL `postgres://...` URL; when set, the store is in that database. */
  databaseUrl?: string;
  /** Without `databaseUrl`: the directory of an embedded database (PGlite); in memory if unset. */
  dataDir?: string;
  /** With `databaseUrl`: most connections open at once; 10 unless set. */
  poolSize?: number;
}

/**
 * Opens the store a Prism server keeps its records in: PostgreSQL when `databaseUrl` is given,
 * else an embedded PostgreSQL (PGlite) in `dataDir`, or in memory. Applies pending migrations
 * before returning, so the same schema serves both.
 *
 * @throws PrismError `store_schema_newer` when a newer Prism has migrated the database.
 */
export async function openStore(options: OpenStoreOptions = {}): Promise<SqlStore> {
  const client: SqlClient =
    options.databaseUrl === undefined
      ? await openPgliteClient(options.dataDir)
      : openPostgresClient({ connectionString: options.databaseUrl, poolSize: options.poolSize });
  try {
    await migrate(client);
  } catch (error) {
    await client.close();
    throw error;
  }
  // The embedded database is opened by one process only (its data directory is locked).
  return new SqlStore(client, { singleWriter: options.databaseUrl === undefined });
}
