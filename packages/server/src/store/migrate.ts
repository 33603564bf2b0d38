import { PrismError } from '@prism/sdk';
import { MIGRATIONS, type Migration } from './migrations.js';
import type { SqlClient, SqlExecutor } from './sql-client.js';

/**
 * Brings the database's schema up to date: applies the migrations it has not recorded, in order,
 * each in its own transaction under a PostgreSQL advisory lock (so two servers starting at once
 * never apply one twice), recording each in `schema_migrations`. Running it again applies nothing.
 * Returns the versions it applied. `migrations` defaults to the store's own ({@link MIGRATIONS}).
 *
 * @throws PrismError `store_schema_newer` when the database records a version this code does
 * not know (a newer Prism wrote it); nothing is changed then.
 */
export async function migrate(
  client: SqlClient,
  migrations: readonly Migration[] = MIGRATIONS,
): Promise<number[]> {
  const applied: number[] = [];
  for (;;) {
    const next = await client.transaction((transaction) =>
      applyNextMigration(transaction, migrations),
    );
    if (next === undefined) return applied;
    applied.push(next);
  }
}

/** Applies the first migration the database lacks, if any, and returns its version. */
async function applyNextMigration(
  transaction: SqlExecutor,
  migrations: readonly Migration[],
): Promise<number | undefined> {
  // Held until the transaction ends: a second migrator waits here, then sees this one's work.
  await transaction.query(`SELECT pg_advisory_xact_lock(hashtext('prism.schema_migrations'))`);
  await transaction.execute(`
CREATE TABLE IF NOT EXISTS schema_migrations (
  version integer PRIMARY KEY,
  name text NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT now()
);`);
  const { rows } = await transaction.query<{ version: number }>(
    'SELECT version FROM schema_migrations',
  );
  const recorded = new Set(rows.map((row) => row.version));
  refuseNewerSchema(recorded, migrations);
  const next = migrations.find((migration) => !recorded.has(migration.version));
  if (next === undefined) return undefined;
  await transaction.execute(next.sql);
  await transaction.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [
    next.version,
    next.name,
  ]);
  return next.version;
}

function refuseNewerSchema(recorded: ReadonlySet<number>, migrations: readonly Migration[]): void {
  const known = Math.max(0, ...migrations.map((migration) => migration.version));
  const newest = Math.max(0, ...recorded);
  if (newest > known) {
    throw new PrismError(
      'store_schema_newer',
      `The database's schema is at version ${newest}, newer than this Prism server knows (${known}).`,
      {
        hint: 'Run a Prism server at least as new as the one that last migrated this database, or point this one at another database.',
      },
    );
  }
}
