import { describeStoreContract } from '@prism/sdk/contract';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/open-store.js';
import { openPostgresClient } from '../../src/store/postgres-client.js';
import { createTestDatabase, type TestDatabase } from './test-database.js';

describe('SqlStore on PostgreSQL', () => {
  let database: TestDatabase | undefined;

  afterAll(async () => {
    await database?.drop();
  });

  describeStoreContract('SqlStore on PostgreSQL', async () => {
    database = await createTestDatabase();
    return openStore({ databaseUrl: database.url, poolSize: 4 });
  });

  it('refuses to open a database a newer Prism has migrated, and leaves it as it was', async () => {
    const newer = await createTestDatabase();
    try {
      const client = openPostgresClient({ connectionString: newer.url });
      await client.execute(
        `CREATE TABLE schema_migrations (version integer PRIMARY KEY, name text NOT NULL,
         applied_at timestamptz NOT NULL DEFAULT now());
         INSERT INTO schema_migrations (version, name) VALUES (9999, 'from_the_future');`,
      );
      await expect(openStore({ databaseUrl: newer.url })).rejects.toMatchObject({
        code: 'store_schema_newer',
        hint: expect.stringContaining('at least as new'),
      });
      const { rows } = await client.query<{ name: string }>(
        `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public'`,
      );
      expect(rows.map((row) => row.name)).toEqual(['schema_migrations']);
      await client.close();
    } finally {
      await newer.drop();
    }
  });
});
