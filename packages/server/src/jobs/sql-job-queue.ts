import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { type JobQueue, PrismError, type ReviewJob, type ReviewJobRunner } from '@prism/sdk';
import type { SqlStore } from '../store/sql-store.js';
import { errorMessage, failReviewOfDeadJob } from './fail-review.js';

/** How a {@link SqlJobQueue} runs jobs. Everything is optional. */
export interface SqlJobQueueOptions {
  /** Jobs this process runs at once; 0 only queues them (for workers elsewhere). Default 2. */
  concurrency?: number;
  /**
   * How long a claimed job stays this worker's without a heartbeat, in milliseconds; the lease is
   * renewed every third of it while the job runs. A job whose lease lapsed (its worker died) is
   * taken again by any worker. Default 30 000.
   */
  leaseMs?: number;
  /** How often to look for jobs when none was queued in this process, in ms. Default 500. */
  pollMs?: number;
  /** Runs of a job before it is given up (`dead`, its review failed). Default 5. */
  maxAttempts?: number;
  /** Wait before the first retry, in milliseconds, doubled for each one after. Default 1000. */
  backoffMs?: number;
  /** Names this worker in the `jobs` table. Default: host, process id and a random part. */
  workerId?: string;
  /** Told of what went wrong outside a job (a claim, a heartbeat, recording an end). */
  onError?: (error: unknown) => void;
}

/** How long finished jobs are kept, as BullMQ keeps them: done 7 days, dead 30 days. */
const KEEP_DONE = '7 days';
const KEEP_DEAD = '30 days';
/** How often finished jobs past their time are deleted, in milliseconds. */
const PURGE_EVERY_MS = 60 * 60 * 1000;

/** A job this worker holds: the row's id, its review, and which run of it this is. */
interface Claim {
  id: string;
  job: ReviewJob;
  attempt: number;
}

interface ClaimedRow {
  id: string;
  tenant_id: string;
  payload: { reviewId: string };
  attempts: number;
}

/**
 * A durable {@link JobQueue} in the store's `jobs` table (PostgreSQL or the embedded database,
 * the same SQL on both): a review is queued once, whatever how often it is enqueued, and run by
 * a worker loop in this process (`concurrency` at once) or by any other worker on the database.
 * A worker claims a job with `FOR UPDATE SKIP LOCKED`, so no two workers take one job, and holds
 * it by a lease its heartbeat renews; a job whose worker died is taken again once its lease
 * lapses. A run that rejects (the store failed) is retried with exponential backoff, and after
 * `maxAttempts` runs the job is `dead` and its review `failed` (`job_failed`).
 */
export class SqlJobQueue implements JobQueue {
  readonly #store: SqlStore;
  readonly #run: ReviewJobRunner;
  readonly #concurrency: number;
  readonly #leaseMs: number;
  readonly #pollMs: number;
  readonly #maxAttempts: number;
  readonly #backoffMs: number;
  readonly #workerId: string;
  readonly #onError: (error: unknown) => void;
  readonly #running = new Set<Promise<void>>();
  readonly #loop: Promise<void>;
  #closing = false;
  #woken = false;
  #wake: () => void = () => {};

  /**
   * A queue in `store`'s database (migrated), running jobs with `run`; its worker loop starts at
   * once unless `concurrency` is 0.
   *
   * @throws {PrismError} `invalid_argument` for a setting that is not a whole number in range.
   */
  constructor(store: SqlStore, run: ReviewJobRunner, options: SqlJobQueueOptions = {}) {
    this.#store = store;
    this.#run = run;
    this.#concurrency = setting('concurrency', options.concurrency ?? 2, 0);
    this.#leaseMs = setting('leaseMs', options.leaseMs ?? 30_000, 3);
    this.#pollMs = setting('pollMs', options.pollMs ?? 500, 1);
    this.#maxAttempts = setting('maxAttempts', options.maxAttempts ?? 5, 1);
    this.#backoffMs = setting('backoffMs', options.backoffMs ?? 1000, 0);
    this.#workerId =
      options.workerId ?? `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
    this.#onError = options.onError ?? (() => {});
    this.#loop = this.#concurrency > 0 ? this.#claimLoop() : Promise.resolve();
  }

  /** Queues the review once: enqueuing a review already queued (or run) adds nothing. */
  async enqueueReview(job: ReviewJob): Promise<void> {
    await this.#store.client.query(
      `INSERT INTO jobs (id, tenant_id, kind, payload) VALUES ($1, $2, 'review', $3::jsonb)
       ON CONFLICT (id) DO NOTHING`,
      [`review:${job.reviewId}`, job.tenantId, JSON.stringify({ reviewId: job.reviewId })],
    );
    this.#notify();
  }

  /** Waits for the jobs this process is running (and those it claims meanwhile) to end. */
  async settle(): Promise<void> {
    while (this.#running.size > 0) await Promise.allSettled([...this.#running]);
  }

  /**
   * Stops claiming jobs and waits for the running ones to end (graceful shutdown); jobs still
   * queued stay for the next worker. Call it before closing the store.
   */
  async close(): Promise<void> {
    this.#closing = true;
    this.#notify();
    await this.#loop;
    await this.settle();
  }

  async #claimLoop(): Promise<void> {
    if (this.#store.singleWriter) await this.#takeOrphans();
    let purgedAt = 0;
    while (!this.#closing) {
      if (Date.now() - purgedAt >= PURGE_EVERY_MS) {
        purgedAt = Date.now();
        await this.#purgeFinished();
      }
      const claim = this.#running.size < this.#concurrency ? await this.#claimNext() : undefined;
      if (claim === undefined) {
        await this.#sleep();
        continue;
      }
      const running: Promise<void> = this.#process(claim).finally(() => {
        this.#running.delete(running);
        this.#notify();
      });
      this.#running.add(running);
    }
  }

  /**
   * On a database no other process opens (the embedded one), a job still `running` was left by
   * a process that ended: it is taken at once, not after its lease lapses.
   */
  async #takeOrphans(): Promise<void> {
    try {
      await this.#store.client.query(
        `UPDATE jobs SET lease_until = now() WHERE status = 'running' AND lease_until > now()`,
      );
    } catch (error) {
      this.#onError(error);
    }
  }

  /** Deletes jobs done more than 7 days ago and dead more than 30 days ago (their reviews stay). */
  async #purgeFinished(): Promise<void> {
    try {
      await this.#store.client.query(
        `DELETE FROM jobs WHERE (status = 'done' AND updated_at < now() - interval '${KEEP_DONE}')
           OR (status = 'dead' AND updated_at < now() - interval '${KEEP_DEAD}')`,
      );
    } catch (error) {
      this.#onError(error);
    }
  }

  /**
   * Takes the next due job, or one whose worker's lease lapsed (another worker's: a job of this
   * one is still running here); `undefined` when there is none.
   */
  async #claimNext(): Promise<Claim | undefined> {
    try {
      const { rows } = await this.#store.client.query<ClaimedRow>(
        `UPDATE jobs SET status = 'running', attempts = attempts + 1, worker_id = $1,
           lease_until = now() + $2::float8 * interval '1 millisecond', updated_at = now()
         WHERE id = (
           SELECT id FROM jobs
           WHERE (status = 'queued' AND run_after <= now())
              OR (status = 'running' AND lease_until < now() AND worker_id <> $1)
           ORDER BY run_after, created_at
           FOR UPDATE SKIP LOCKED
           LIMIT 1
         )
         RETURNING id, tenant_id, payload, attempts`,
        [this.#workerId, this.#leaseMs],
      );
      const row = rows[0];
      if (row === undefined) return undefined;
      return {
        id: row.id,
        job: { tenantId: row.tenant_id, reviewId: row.payload.reviewId },
        attempt: row.attempts,
      };
    } catch (error) {
      this.#onError(error);
      return undefined;
    }
  }

  /** Runs a claimed job under its heartbeat and records how it ended. */
  async #process(claim: Claim): Promise<void> {
    if (claim.attempt > this.#maxAttempts) {
      // Its runs so far ended with their worker (each lease lapsed): give it up unrun.
      await this.#giveUp(claim, `its worker stopped during each of ${this.#maxAttempts} runs`);
      return;
    }
    const heartbeat = setInterval(() => void this.#renewLease(claim), this.#leaseMs / 3);
    try {
      await this.#run(claim.job);
    } catch (error) {
      await this.#recordFailure(claim, errorMessage(error));
      return;
    } finally {
      clearInterval(heartbeat);
    }
    await this.#update(claim, `status = 'done', lease_until = NULL, last_error = NULL`);
  }

  async #recordFailure(claim: Claim, message: string): Promise<void> {
    if (claim.attempt >= this.#maxAttempts) {
      await this.#giveUp(claim, message);
      return;
    }
    const delayMs = this.#backoffMs * 2 ** (claim.attempt - 1);
    await this.#update(
      claim,
      `status = 'queued', lease_until = NULL, last_error = $4,
       run_after = now() + $5::float8 * interval '1 millisecond'`,
      [message, delayMs],
    );
  }

  /** Fails the job's review, then marks the job `dead`; on a store failure its lease lapses. */
  async #giveUp(claim: Claim, message: string): Promise<void> {
    try {
      await failReviewOfDeadJob(this.#store, claim.job, message);
    } catch (error) {
      this.#onError(error);
      return;
    }
    await this.#update(claim, `status = 'dead', lease_until = NULL, last_error = $4`, [message]);
  }

  async #renewLease(claim: Claim): Promise<void> {
    await this.#update(claim, `lease_until = now() + $4::float8 * interval '1 millisecond'`, [
      this.#leaseMs,
    ]);
  }

  /** Changes the job while this worker's claim of it holds (else another worker has it now). */
  async #update(claim: Claim, assignments: string, params: readonly unknown[] = []): Promise<void> {
    try {
      await this.#store.client.query(
        `UPDATE jobs SET ${assignments}, updated_at = now()
         WHERE id = $1 AND worker_id = $2 AND attempts = $3 AND status = 'running'`,
        [claim.id, this.#workerId, claim.attempt, ...params],
      );
    } catch (error) {
      this.#onError(error);
    }
  }

  /** Wakes the loop now: a job was queued here, a job ended, or the queue closes. */
  #notify(): void {
    this.#woken = true;
    this.#wake();
  }

  /** Waits `pollMs`, or less when woken meanwhile. */
  async #sleep(): Promise<void> {
    if (!this.#woken) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.#pollMs);
        this.#wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.#wake = () => {};
    }
    this.#woken = false;
  }
}

function setting(name: string, value: number, min: number): number {
  if (Number.isSafeInteger(value) && value >= min) return value;
  throw new PrismError(
    'invalid_argument',
    `The job queue's ${name} must be a whole number >= ${min}, not ${value}.`,
    { hint: `Pass ${name} as a whole number of at least ${min}, or leave it out for its default.` },
  );
}
