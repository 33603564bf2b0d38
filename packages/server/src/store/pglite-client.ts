import { PGlite, type Transaction } from '@electric-sql/pglite';
import type { SqlClient, SqlExecutor, SqlResult } from './sql-client.js';

/**
 * A {@link SqlClient} over PGlite, PostgreSQL embedded in the process: persistent in `dataDir`
 * (created when missing), or in memory when there is none. Nothing to install; one process at a
 * time may open a directory.
 */
export async function openPgliteClient(dataDir?: string): Promise<SqlClient> {
  const database = new PGlite(dataDir);
  await database.waitReady;
  return {
    ...executorOf(database),
    transaction: (work) => database.transaction((transaction) => work(executorOf(transaction))),
    close: () => database.close(),
  };
}

function executorOf(target: PGlite | Transaction): SqlExecutor {
  return {
    async query<Row>(text: string, params: readonly unknown[] = []): Promise<SqlResult<Row>> {
      const result = await target.query<Row>(text, [...params]);
      return { rows: result.rows, rowCount: result.affectedRows ?? 0 };
    },
    async execute(script: string): Promise<void> {
      await target.exec(script);
    },
  };
}
