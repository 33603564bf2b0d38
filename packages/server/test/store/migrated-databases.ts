import { openStore } from '../../src/store/open-store.js';
import type { SqlClient } from '../../src/store/sql-client.js';
import { createTestDatabase } from './test-database.js';

/** A database with the store's migrations, and how to dispose of it. */
export interface MigratedDatabase {
  client: SqlClient;
  close(): Promise<void>;
}

/**
 * The two databases the store runs on, each migrated and made anew per call, for
 * `describe.each`: the embedded one in memory, and a PostgreSQL database of this run.
 */
export const MIGRATED_DATABASES: [string, () => Promise<MigratedDatabase>][] = [
  [
    'the embedded database (in memory)',
    async () => {
      const store = await openStore();
      return { client: store.client, close: () => store.close() };
    },
  ],
  [
    'PostgreSQL',
    async () => {
      const database = await createTestDatabase();
      const store = await openStore({ databaseUrl: database.url, poolSize: 2 });
      return {
        client: store.client,
        close: async () => {
          await store.close();
          await database.drop();
        },
      };
    },
  ],
];
