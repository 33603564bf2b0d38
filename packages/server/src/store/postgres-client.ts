import pg from 'pg';
import type { SqlClient, SqlExecutor, SqlResult } from './sql-client.js';

/** Options of {@link openPostgresClient}. */
export interface PostgresClientOptions {
  /** A `postgres://user:password@host:port/database` URL. */
  connectionString: string;
  /** Most connections the pool opens at once; 10 unless set. */
  poolSize?: number;
}

/**
 * A {@link SqlClient} over a PostgreSQL server, through a `pg.Pool`. Connections open when first
 * needed; a connection the server drops while idle is discarded and replaced on the next query.
 */
export function openPostgresClient(options: PostgresClientOptions): SqlClient {
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.poolSize ?? 10,
  });
  // An idle connection's error (e.g. the server restarting) is reported here; the pool has
  // already dropped that connection, and the next query opens a new one.
  pool.on('error', () => {});
  return {
    ...executorOf(pool),
    async transaction<T>(work: (transaction: SqlExecutor) => Promise<T>): Promise<T> {
      const connection = await pool.connect();
      let broken: Error | undefined;
      try {
        await connection.query('BEGIN');
        const result = await work(executorOf(connection));
        await connection.query('COMMIT');
        return result;
      } catch (error) {
        await connection.query('ROLLBACK').catch((rollbackError: Error) => {
          broken = rollbackError;
        });
        throw error;
      } finally {
        connection.release(broken);
      }
    },
    close: () => pool.end(),
  };
}

function executorOf(target: pg.Pool | pg.PoolClient): SqlExecutor {
  return {
    async query<Row>(text: string, params: readonly unknown[] = []): Promise<SqlResult<Row>> {
      const result = await target.query(text, [...params]);
      return { rows: result.rows as Row[], rowCount: result.rowCount ?? 0 };
    },
    async execute(script: string): Promise<void> {
      await target.query(script);
    },
  };
}
