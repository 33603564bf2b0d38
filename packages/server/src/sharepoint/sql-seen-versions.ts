import type { SeenVersions } from '@prism/connector-sharepoint';
import type { SqlExecutor } from '../store/sql-client.js';

/**
 * How long a claim on a version lasts by default: 10 minutes, well beyond downloading the largest
 * file Prism takes (25 MB) from SharePoint and uploading it, so a live run never loses its claim,
 * while the version of a run that died is taken over soon after.
 */
export const DEFAULT_CLAIM_LEASE_MS = 10 * 60_000;

/** How {@link SqlSeenVersions} claims versions. */
export interface SqlSeenVersionsOptions {
  /** How long a claim lasts before another instance may take it over, in ms. Default 10 minutes. */
  leaseMs?: number;
}

/**
 * The content versions of one SharePoint watch, in `sharepoint_seen_versions`: what keeps the
 * watch from reviewing a version twice, across restarts and instances. A row is a version done
 * (`claimed_until` NULL) or claimed by the instance reviewing it until `claimed_until`; only the
 * database's clock decides whether a claim has run out, so instances agree. Each watch has its
 * own versions (two watches of one drive each review its files); stopping a watch deletes them.
 */
export class SqlSeenVersions implements SeenVersions {
  readonly #sql: SqlExecutor;
  readonly #watchId: string;
  readonly #leaseSeconds: number;

  /** The versions of watch `watchId`, kept through `sql` (the database, or one transaction). */
  constructor(sql: SqlExecutor, watchId: string, options: SqlSeenVersionsOptions = {}) {
    this.#sql = sql;
    this.#watchId = watchId;
    this.#leaseSeconds = (options.leaseMs ?? DEFAULT_CLAIM_LEASE_MS) / 1000;
  }

  /** Whether this watch has sent this version for review (a claimed version is not done). */
  async has(key: string): Promise<boolean> {
    const { rows } = await this.#sql.query(
      `SELECT 1 FROM sharepoint_seen_versions
       WHERE watch_id = $1 AND version_key = $2 AND claimed_until IS NULL`,
      [this.#watchId, key],
    );
    return rows.length > 0;
  }

  /**
   * Claims this version for the lease, in one statement: `true` when it was unknown or its claim
   * had run out, `false` when it is done or claimed under a lease still running.
   */
  async claim(key: string): Promise<boolean> {
    const { rows } = await this.#sql.query(
      `INSERT INTO sharepoint_seen_versions (watch_id, version_key, claimed_until)
       VALUES ($1, $2, now() + make_interval(secs => $3))
       ON CONFLICT (watch_id, version_key) DO UPDATE
         SET claimed_until = EXCLUDED.claimed_until, seen_at = now()
         WHERE sharepoint_seen_versions.claimed_until IS NOT NULL
           AND sharepoint_seen_versions.claimed_until < now()
       RETURNING 1`,
      [this.#watchId, key, this.#leaseSeconds],
    );
    return rows.length > 0;
  }

  /**
   * Drops this version's claim, so the next run claims it again; a done version stays done. The
   * claim is dropped whoever holds it: call this only while holding it, within its lease.
   */
  async release(key: string): Promise<void> {
    await this.#sql.query(
      `DELETE FROM sharepoint_seen_versions
       WHERE watch_id = $1 AND version_key = $2 AND claimed_until IS NOT NULL`,
      [this.#watchId, key],
    );
  }

  /** Records that this watch has sent the version for review, ending its claim. */
  async add(key: string): Promise<void> {
    await this.#sql.query(
      `INSERT INTO sharepoint_seen_versions (watch_id, version_key) VALUES ($1, $2)
       ON CONFLICT (watch_id, version_key) DO UPDATE SET claimed_until = NULL, seen_at = now()
         WHERE sharepoint_seen_versions.claimed_until IS NOT NULL`,
      [this.#watchId, key],
    );
  }
}
