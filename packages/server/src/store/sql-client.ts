/** What a statement returns: its rows, and how many rows it inserted, changed or deleted. */
export interface SqlResult<Row> {
  /** The rows the statement returned (`RETURNING` or `SELECT`). */
  rows: Row[];
  /** How many rows the statement inserted, updated or deleted. */
  rowCount: number;
}

/** Runs statements: on the whole database, or inside one transaction. */
export interface SqlExecutor {
  /** Runs one statement with `$1`, `$2`, ... bound to `params`; values are never spliced in. */
  query<Row>(text: string, params?: readonly unknown[]): Promise<SqlResult<Row>>;
  /** Runs a script of statements without parameters (a migration's SQL). */
  execute(script: string): Promise<void>;
}

/**
 * A connection to PostgreSQL, embedded (PGlite) or a server (`pg.Pool`): the store speaks SQL
 * through it, so the same statements and migrations run on either.
 */
export interface SqlClient extends SqlExecutor {
  /**
   * Runs `work` in one transaction: committed when it resolves, rolled back when it throws
   * (and the error rethrown). Only `work`'s executor may be used inside it.
   */
  transaction<T>(work: (transaction: SqlExecutor) => Promise<T>): Promise<T>;
  /** Closes the connections; the client cannot be used afterwards. */
  close(): Promise<void>;
}
