import type { WriteBackOutcome } from '@prism/connector-sharepoint';
import type { SqlClient } from '../store/sql-client.js';

/** How write-backs are claimed and retried. */
export interface WriteBackSettings {
  /** Write-backs claimed (and run at once) per pass. Default 10. */
  batchSize: number;
  /** The wait before the first retry, doubled for each retry after, in ms. Default 30 s. */
  baseDelayMs: number;
  /** The longest wait between retries, in ms. Default one hour. */
  maxDelayMs: number;
  /** Attempts after which a write-back is given up (kept with its last error). Default 20. */
  maxAttempts: number;
  /**
   * How long a claimed write-back stays its instance's, in ms: one whose instance died is
   * claimed again by another after this. Default 5 minutes.
   */
  leaseMs: number;
  /**
   * Finished reviews are looked for among those completed this recently, in ms (the whole
   * history is looked through once every `fullDiscoveryMs`). Default 15 minutes.
   */
  recentMs: number;
  /** How often the whole history of watched reviews is looked through, in ms. Default 15 minutes. */
  fullDiscoveryMs: number;
}

/** The defaults of {@link WriteBackSettings}. */
export const DEFAULT_WRITE_BACK_SETTINGS: WriteBackSettings = {
  batchSize: 10,
  baseDelayMs: 30_000,
  maxDelayMs: 3_600_000,
  maxAttempts: 20,
  leaseMs: 5 * 60_000,
  recentMs: 15 * 60_000,
  fullDiscoveryMs: 15 * 60_000,
};

/** What one pass of {@link SharePointWriteBacks.runOnce} did. */
export interface WriteBackPass {
  /** Finished reviews of watched files found without a write-back, now queued. */
  discovered: number;
  /** Reviews written back into their library. */
  written: number;
  /** Reviews with nothing to write (superseded, file or watch gone...). */
  skipped: number;
  /** Reviews to try again later (file locked, Graph unavailable...). */
  retrying: number;
  /** Reviews given up after the last attempt. */
  abandoned: number;
}

/** A claimed write-back. */
interface Claim {
  review_id: string;
  watch_id: string;
  attempts: number;
}

/** What {@link SharePointWriteBacks} needs. */
export interface SharePointWriteBacksOptions {
  /** The database of the reviews and the `sharepoint_*` tables. */
  client: SqlClient;
  /** Writes a finished review back into its watch's library (the auto-reviewer's `writeBack`). */
  writeBack: (watchId: string, reviewId: string) => Promise<WriteBackOutcome>;
  /** Told of each write-back that failed (it is retried, or given up after the last attempt). */
  onFailure?: (error: unknown, review: { reviewId: string; watchId: string }) => void;
  /** Changes to {@link DEFAULT_WRITE_BACK_SETTINGS}. */
  settings?: Partial<WriteBackSettings>;
  /** The clock. Default the system clock. */
  clock?: () => Date;
}

/** The longest error message kept with a write-back. */
const MAX_ERROR_LENGTH = 1000;

/**
 * The durable write-back of reviews that SharePoint watches started: each pass finds the
 * finished (succeeded or failed) reviews of watched files that have no write-back yet and queues
 * them in `sharepoint_write_backs`, then claims the due ones (`FOR UPDATE SKIP LOCKED`, so any
 * number of instances share the work and none writes a review twice at once), writes each back
 * and marks it done. A locked file, an unfinished review or a failure (Graph unavailable...)
 * is retried with exponential backoff (Graph's `Retry-After` when it gave one), and given up
 * after the last attempt with its error kept. A claim that its instance never settles (it died)
 * is taken again once its lease lapses.
 */
export class SharePointWriteBacks {
  readonly #client: SqlClient;
  readonly #writeBack: SharePointWriteBacksOptions['writeBack'];
  readonly #onFailure: NonNullable<SharePointWriteBacksOptions['onFailure']>;
  readonly #settings: WriteBackSettings;
  readonly #clock: () => Date;
  #lastFullDiscovery: number | undefined;

  /** Write-backs through `options.writeBack`, queued in `options.client`'s database. */
  constructor(options: SharePointWriteBacksOptions) {
    this.#client = options.client;
    this.#writeBack = options.writeBack;
    this.#onFailure = options.onFailure ?? (() => {});
    this.#settings = { ...DEFAULT_WRITE_BACK_SETTINGS, ...options.settings };
    this.#clock = options.clock ?? (() => new Date());
  }

  /**
   * One pass: queues the finished reviews of watched files without a write-back (those completed
   * recently, or all of them on the first pass and every `fullDiscoveryMs`), then claims up to
   * `batchSize` due write-backs and runs them.
   */
  async runOnce(): Promise<WriteBackPass> {
    const now = this.#clock();
    const full =
      this.#lastFullDiscovery === undefined ||
      now.getTime() - this.#lastFullDiscovery >= this.#settings.fullDiscoveryMs;
    const discovered = await this.discover(full ? undefined : this.#settings.recentMs);
    if (full) this.#lastFullDiscovery = now.getTime();
    const pass: WriteBackPass = { discovered, written: 0, skipped: 0, retrying: 0, abandoned: 0 };
    const claims = await this.#claim();
    const settled = await Promise.all(claims.map((claim) => this.#run(claim)));
    for (const result of settled) pass[result] += 1;
    return pass;
  }

  /**
   * Queues the finished reviews of watched files that have no write-back yet (those completed
   * within `withinMs` of now, or all of them); returns how many were queued.
   */
  async discover(withinMs?: number): Promise<number> {
    const now = this.#clock();
    const recent = withinMs === undefined ? '' : "AND (r.data ->> 'completedAt') >= $2";
    const params: unknown[] = [now];
    if (withinMs !== undefined) params.push(new Date(now.getTime() - withinMs).toISOString());
    const { rowCount } = await this.#client.query(
      `INSERT INTO sharepoint_write_backs (review_id, tenant_id, watch_id, next_attempt_at)
       SELECT r.id, r.tenant_id, w.watch_id, $1
       FROM sharepoint_watches w
       JOIN reviews r
         ON r.tenant_id = w.tenant_id
        AND (r.data -> 'metadata' ->> 'watchId') = w.watch_id
        AND r.data ->> 'status' IN ('succeeded', 'failed')
        ${recent}
       WHERE NOT EXISTS (SELECT 1 FROM sharepoint_write_backs b WHERE b.review_id = r.id)
       ON CONFLICT (review_id) DO NOTHING`,
      params,
    );
    return rowCount;
  }

  /** Claims the due write-backs, each for one lease, counting the attempt. */
  async #claim(): Promise<Claim[]> {
    const now = this.#clock();
    const { rows } = await this.#client.query<Claim>(
      `UPDATE sharepoint_write_backs SET attempts = attempts + 1, next_attempt_at = $2
       WHERE review_id IN (
         SELECT review_id FROM sharepoint_write_backs
         WHERE done_at IS NULL AND next_attempt_at <= $1
         ORDER BY next_attempt_at, review_id LIMIT $3 FOR UPDATE SKIP LOCKED)
       RETURNING review_id, watch_id, attempts`,
      [now, new Date(now.getTime() + this.#settings.leaseMs), this.#settings.batchSize],
    );
    return rows;
  }

  async #run(claim: Claim): Promise<keyof Omit<WriteBackPass, 'discovered'>> {
    let outcome: WriteBackOutcome;
    try {
      outcome = await this.#writeBack(claim.watch_id, claim.review_id);
    } catch (error) {
      this.#onFailure(error, { reviewId: claim.review_id, watchId: claim.watch_id });
      return this.#retry(claim, messageOf(error), null);
    }
    if (outcome.status === 'retry_later') {
      return this.#retry(claim, outcome.message, outcome.retryAfterMs);
    }
    const result = outcome.status === 'written' ? 'written' : `skipped:${outcome.reason}`;
    await this.#settle(claim, result, null);
    return outcome.status === 'written' ? 'written' : 'skipped';
  }

  async #retry(
    claim: Claim,
    message: string,
    retryAfterMs: number | null,
  ): Promise<'retrying' | 'abandoned'> {
    if (claim.attempts >= this.#settings.maxAttempts) {
      await this.#settle(claim, 'abandoned', message);
      return 'abandoned';
    }
    const { baseDelayMs, maxDelayMs } = this.#settings;
    const backoff = Math.min(maxDelayMs, baseDelayMs * 2 ** (claim.attempts - 1));
    const delay = retryAfterMs ?? backoff;
    await this.#client.query(
      `UPDATE sharepoint_write_backs SET next_attempt_at = $2, last_error = $3
       WHERE review_id = $1`,
      [claim.review_id, new Date(this.#clock().getTime() + delay), message],
    );
    return 'retrying';
  }

  async #settle(claim: Claim, outcome: string, error: string | null): Promise<void> {
    await this.#client.query(
      `UPDATE sharepoint_write_backs SET done_at = $2, outcome = $3, last_error = $4
       WHERE review_id = $1`,
      [claim.review_id, this.#clock(), outcome, error],
    );
  }
}

function messageOf(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.length > MAX_ERROR_LENGTH ? `${message.slice(0, MAX_ERROR_LENGTH)}…` : message;
}
