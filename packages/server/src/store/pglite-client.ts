import { PGlite, type Transaction } from '@electric-sql/pglite';
import { lockDataDir } from './data-dir-lock.js';
import type { SqlClient, SqlExecutor, SqlResult } from './sql-client.js';

/**
 * A {@link SqlClient} over PGlite, PostgreSQL embedded in the process: persistent in `dataDir`
 * (created when missing), or in memory when there is none. Nothing to install; one process at a
 * time may open a directory (a second one is refused with `data_dir_in_use`).
 */
export async function openPgliteClient(dataDir?: string): Promise<SqlClient> {
  const unlock = dataDir === undefined ? () => {} : lockDataDir(dataDir);
  try {
    const database = new PGlite(dataDir);
    await database.waitReady;
    return {
      ...executorOf(database),
      transaction: (work) => database.transaction((transaction) => work(executorOf(transaction))),
      close: async () => {
        await database.close();
        unlock();
      },
    };
  } catch (error) {
    unlock();
    throw error;
  }
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
