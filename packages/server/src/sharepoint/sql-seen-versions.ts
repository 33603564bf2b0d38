import type { SeenVersions } from '@prism/connector-sharepoint';
import type { SqlExecutor } from '../store/sql-client.js';

/**
 * The content versions one SharePoint watch has sent for review, in `sharepoint_seen_versions`:
 * what keeps the watch from reviewing a version twice, across restarts and instances. Each
 * watch has its own (two watches of one drive each review its files); stopping a watch deletes
 * its rows.
 */
export class SqlSeenVersions implements SeenVersions {
  readonly #sql: SqlExecutor;
  readonly #watchId: string;

  /** The versions of watch `watchId`, kept through `sql` (the database, or one transaction). */
  constructor(sql: SqlExecutor, watchId: string) {
    this.#sql = sql;
    this.#watchId = watchId;
  }

  /** Whether this watch has sent this version for review. */
  async has(key: string): Promise<boolean> {
    const { rows } = await this.#sql.query(
      'SELECT 1 FROM sharepoint_seen_versions WHERE watch_id = $1 AND version_key = $2',
      [this.#watchId, key],
    );
    return rows.length > 0;
  }

  /** Records that this watch has sent the version for review. */
  async add(key: string): Promise<void> {
    await this.#sql.query(
      `INSERT INTO sharepoint_seen_versions (watch_id, version_key) VALUES ($1, $2)
       ON CONFLICT DO NOTHING`,
      [this.#watchId, key],
    );
  }
}
