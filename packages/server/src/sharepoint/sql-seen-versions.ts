import type { SeenVersions } from '@prism/connector-sharepoint';
import type { SqlExecutor } from '../store/sql-client.js';

/**
 * The content versions the SharePoint watches have sent for review, in
 * `sharepoint_seen_versions`: what keeps the auto-reviewer from reviewing a version twice, across
 * restarts and instances.
 *
 * The auto-reviewer shares one {@link SeenVersions} among all watches and names only the version
 * (`<itemId>:<cTag>`), so a version counts as seen when any watch has sent it for review. Each
 * row is kept under the watch whose review of it exists (the auto-reviewer records a version
 * only once that review is created, with the watch and the version in its metadata), so stopping
 * a watch forgets what it saw.
 */
export class SqlSeenVersions implements SeenVersions {
  readonly #sql: SqlExecutor;

  /** Keeps the versions through `sql` (the whole database, or one transaction). */
  constructor(sql: SqlExecutor) {
    this.#sql = sql;
  }

  /** Whether any watch has sent this version for review. */
  async has(key: string): Promise<boolean> {
    const { rows } = await this.#sql.query(
      'SELECT 1 FROM sharepoint_seen_versions WHERE version_key = $1 LIMIT 1',
      [key],
    );
    return rows.length > 0;
  }

  /**
   * Records the version as seen by each watch that has a review of it (by the review's
   * metadata); a version no watch's review names is not recorded.
   */
  async add(key: string): Promise<void> {
    await this.#sql.query(
      `INSERT INTO sharepoint_seen_versions (watch_id, version_key)
       SELECT DISTINCT w.watch_id, $1
       FROM reviews r
       JOIN sharepoint_watches w
         ON w.tenant_id = r.tenant_id AND w.watch_id = r.data -> 'metadata' ->> 'watchId'
       WHERE r.data @> jsonb_build_object('metadata', jsonb_build_object('versionKey', $1::text))
       ON CONFLICT DO NOTHING`,
      [key],
    );
  }
}
