import type { JobQueue, ReviewJob, ReviewJobRunner, Store } from '@prism/sdk';
import { type Job, Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { errorMessage, failReviewOfDeadJob } from './fail-review.js';

/** The name of the BullMQ queue of reviews (its keys are `<prefix>:reviews:...`). */
export const REVIEW_QUEUE_NAME = 'reviews';

/** What the job queue's Redis keys start with when `prefix` is not given. */
export const DEFAULT_JOB_KEY_PREFIX = 'prism';

/** Where a {@link BullJobQueue} keeps its jobs, and how it runs them. */
export interface BullJobQueueOptions {
  /** The Redis, e.g. `redis://127.0.0.1:6379`. */
  redisUrl: string;
  /** What the queue's Redis keys start with. Default {@link DEFAULT_JOB_KEY_PREFIX}. */
  prefix?: string;
  /** Jobs this process runs at once; 0 only queues them (for workers elsewhere). Default 2. */
  concurrency?: number;
  /**
   * How long a running job stays this worker's without renewal, in milliseconds (BullMQ's lock
   * duration, also how often stalled jobs are looked for). Default 30 000.
   */
  leaseMs?: number;
  /** Runs of a job before it is given up (its review failed). Default 5. */
  maxAttempts?: number;
  /** Wait before the first retry, in milliseconds, doubled for each one after. Default 1000. */
  backoffMs?: number;
  /** Told of what went wrong outside a job (Redis errors, recording a given-up review). */
  onError?: (error: unknown) => void;
}

/**
 * A durable {@link JobQueue} in Redis, with BullMQ: each review is queued once (its job id is the
 * review id), run by a BullMQ worker in this process (`concurrency` at once) or in any other
 * process on the same Redis and prefix, retried with exponential backoff when its run rejects,
 * and taken again by another worker when its worker stops renewing its lock (BullMQ's stalled
 * jobs). A job given up after its last attempt fails its review (`job_failed`).
 */
export class BullJobQueue implements JobQueue {
  readonly #store: Store;
  readonly #run: ReviewJobRunner;
  readonly #maxAttempts: number;
  readonly #backoffMs: number;
  readonly #onError: (error: unknown) => void;
  readonly #connections: Redis[] = [];
  readonly #queue: Queue<ReviewJob>;
  readonly #worker: Worker<ReviewJob> | undefined;
  readonly #running = new Set<Promise<unknown>>();

  /** A queue in the Redis of `options`, running jobs with `run` unless `concurrency` is 0. */
  constructor(store: Store, run: ReviewJobRunner, options: BullJobQueueOptions) {
    this.#store = store;
    this.#run = run;
    this.#maxAttempts = options.maxAttempts ?? 5;
    this.#backoffMs = options.backoffMs ?? 1000;
    this.#onError = options.onError ?? (() => {});
    const prefix = options.prefix ?? DEFAULT_JOB_KEY_PREFIX;
    // Queuing fails fast while Redis is away; the worker's connection waits for it instead.
    const queueConnection = this.#connect(options.redisUrl, 1);
    this.#queue = new Queue<ReviewJob>(REVIEW_QUEUE_NAME, { connection: queueConnection, prefix });
    this.#queue.on('error', this.#onError);
    const concurrency = options.concurrency ?? 2;
    if (concurrency === 0) return;
    const leaseMs = options.leaseMs ?? 30_000;
    this.#worker = new Worker<ReviewJob>(REVIEW_QUEUE_NAME, (job) => this.#process(job), {
      connection: this.#connect(options.redisUrl, null),
      prefix,
      concurrency,
      lockDuration: leaseMs,
      stalledInterval: leaseMs,
      maxStalledCount: this.#maxAttempts,
    });
    this.#worker.on('error', this.#onError);
    this.#worker.on('failed', (job, error) => {
      if (job) this.#track(this.#failReviewIfGivenUp(job, errorMessage(error)));
    });
  }

  /** Queues the review once: enqueuing a review already queued (or run) adds nothing. */
  async enqueueReview(job: ReviewJob): Promise<void> {
    await this.#queue.add(
      'review',
      { tenantId: job.tenantId, reviewId: job.reviewId },
      {
        jobId: job.reviewId,
        attempts: this.#maxAttempts,
        backoff: { type: 'exponential', delay: this.#backoffMs },
        // Kept a while, so a review enqueued again meanwhile is still recognised.
        removeOnComplete: { age: 7 * 24 * 3600 },
        removeOnFail: { age: 30 * 24 * 3600 },
      },
    );
  }

  /** Waits for the jobs this process is running (and those it takes meanwhile) to end. */
  async settle(): Promise<void> {
    while (this.#running.size > 0) await Promise.allSettled([...this.#running]);
  }

  /** Stops taking jobs, waits for the running ones to end, and closes the Redis connections. */
  async close(): Promise<void> {
    await this.#worker?.close();
    await this.settle();
    await this.#queue.close();
    await Promise.all(this.#connections.map((connection) => connection.quit().catch(() => {})));
  }

  #process(job: Job<ReviewJob>): Promise<void> {
    const running = this.#run(job.data);
    // A run that rejects is BullMQ's to retry; here it only counts as ended.
    this.#track(running.catch(() => undefined));
    return running;
  }

  /** After a failed run: fails the review when BullMQ gave the job up (no attempt left). */
  async #failReviewIfGivenUp(job: Job<ReviewJob>, message: string): Promise<void> {
    if ((await job.getState()) !== 'failed') return;
    await failReviewOfDeadJob(this.#store, job.data, message);
  }

  #track(work: Promise<unknown>): void {
    const tracked = work.catch(this.#onError).finally(() => this.#running.delete(tracked));
    this.#running.add(tracked);
  }

  #connect(url: string, maxRetriesPerRequest: number | null): Redis {
    const connection = new Redis(url, { maxRetriesPerRequest });
    connection.on('error', this.#onError);
    this.#connections.push(connection);
    return connection;
  }
}
