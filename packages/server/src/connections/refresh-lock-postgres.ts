import type { SqlClient } from '../store/sql-client.js';
import type { RefreshLock } from './refresh-lock.js';

const LOCK_STATEMENT = 'SELECT pg_advisory_xact_lock(hashtextextended($1, 0))';

/** Options of {@link PostgresRefreshLock}. */
export interface PostgresRefreshLockOptions {
  /**
   * Whether the lock is held while the work runs (true: other processes on the database wait).
   * False for the embedded database, whose one connection a held transaction would keep from
   * every other statement (the tokens' own read and write included); one process holds that
   * database, so its in-process single flight already serialises refreshes, and the lock is
   * taken and released in a transaction of its own before the work runs.
   */
  holdDuringWork: boolean;
}

/**
 * A {@link RefreshLock} as a PostgreSQL transaction-level advisory lock on a 64-bit hash of the
 * key (`pg_advisory_xact_lock`): taken in a transaction kept open while the work runs, released
 * by its commit or rollback, so a process that dies mid-refresh frees it with its connection.
 */
export class PostgresRefreshLock implements RefreshLock {
  readonly #client: SqlClient;
  readonly #holdDuringWork: boolean;

  /** A lock in the database of `client`. */
  constructor(client: SqlClient, options: PostgresRefreshLockOptions) {
    this.#client = client;
    this.#holdDuringWork = options.holdDuringWork;
  }

  async withLock<T>(key: string, work: () => Promise<T>): Promise<T> {
    const lockKey = `prism:${key}`;
    if (!this.#holdDuringWork) {
      await this.#client.transaction((transaction) => transaction.query(LOCK_STATEMENT, [lockKey]));
      return work();
    }
    return this.#client.transaction(async (transaction) => {
      await transaction.query(LOCK_STATEMENT, [lockKey]);
      return work();
    });
  }
}
