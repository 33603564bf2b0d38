import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../../src/store/migrate.js';
import { MIGRATIONS } from '../../src/store/migrations.js';
import { openPostgresClient } from '../../src/store/postgres-client.js';
import type { SqlClient } from '../../src/store/sql-client.js';
import { createTestDatabase, type TestDatabase } from './test-database.js';

describe('migrate on PostgreSQL', () => {
  let database: TestDatabase;
  let client: SqlClient;

  beforeAll(async () => {
    database = await createTestDatabase();
    client = openPostgresClient({ connectionString: database.url });
  });

  afterAll(async () => {
    await client?.close();
    await database?.drop();
  });

  it('applies each migration once when two servers start at the same time', async () => {
    const other = openPostgresClient({ connectionString: database.url });
    try {
      const [first, second] = await Promise.all([migrate(client), migrate(other)]);
      expect([...first, ...second].sort((a, b) => a - b)).toEqual(
        MIGRATIONS.map((migration) => migration.version),
      );
    } finally {
      await other.close();
    }
    const { rows } = await client.query<{ version: number }>(
      'SELECT version FROM schema_migrations ORDER BY version',
    );
    expect(rows.map((row) => row.version)).toEqual(MIGRATIONS.map((m) => m.version));
    expect(await migrate(client)).toEqual([]);
  });

  it('applies a migration whole or not at all, and stops at the first that fails', async () => {
    const known = Math.max(...MIGRATIONS.map((migration) => migration.version));
    const later = [
      ...MIGRATIONS,
      { version: known + 1, name: 'add_notes', sql: 'CREATE TABLE notes (id text PRIMARY KEY);' },
      {
        version: known + 2,
        name: 'broken',
        sql: 'CREATE TABLE half_done (id text); SELECT no_such_column FROM notes;',
      },
      { version: known + 3, name: 'after_broken', sql: 'CREATE TABLE after_broken (id text);' },
    ];
    await expect(migrate(client, later)).rejects.toThrow(/no_such_column/);
    const { rows } = await client.query<{ name: string }>(
      `SELECT table_name AS name FROM information_schema.tables
       WHERE table_schema = 'public' AND table_name IN ('notes', 'half_done', 'after_broken')`,
    );
    expect(rows.map((row) => row.name)).toEqual(['notes']);
    const versions = await client.query<{ version: number }>(
      'SELECT max(version) AS version FROM schema_migrations',
    );
    expect(versions.rows[0]?.version).toBe(known + 1);
  });

  it('refuses a database whose schema is newer than it knows, with a typed error and a hint', async () => {
    await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [
      9999,
      'from_the_future',
    ]);
    const error = await migrate(client).catch((caught: unknown) => caught);
    expect(error).toMatchObject({
      name: 'PrismError',
      code: 'store_schema_newer',
      message: expect.stringContaining('version 9999'),
      hint: expect.any(String),
    });
  });
});
