import { type JobQueueFactory, PrismError } from '@prism/sdk';
import type { ServerConfig } from '../config.js';
import type { SqlStore } from '../store/sql-store.js';
import { BullJobQueue } from './bull-job-queue.js';
import { SqlJobQueue } from './sql-job-queue.js';

/** How the server's job queue runs jobs in this process. */
export interface ServerJobsOptions {
  /** Jobs this process runs at once; 0 only queues them. */
  concurrency: number;
  /** Told of what went wrong outside a job (the database or Redis failing meanwhile). */
  onError?: (error: unknown) => void;
}

/** The durable job queue of a server or worker process. */
export interface ServerJobs {
  /** Makes the queue for the service: pass it as `new PrismService({ jobs })`. */
  readonly factory: JobQueueFactory;
  /** Stops taking jobs and waits for the running ones; call it before closing the store. */
  close(): Promise<void>;
}

/**
 * Refuses a server that would queue reviews no one can run: with `PRISM_WORKERS=0` the reviews
 * are left to `prism worker` processes, which cannot open the embedded database.
 *
 * @throws {PrismError} `invalid_config` for `PRISM_WORKERS=0` without `DATABASE_URL`.
 */
export function checkWorkersSetting(config: ServerConfig): void {
  if (config.PRISM_WORKERS > 0 || config.DATABASE_URL !== undefined) return;
  throw new PrismError(
    'invalid_config',
    'Invalid setting PRISM_WORKERS: 0 leaves reviews to prism worker processes, which need DATABASE_URL.',
    {
      hint: 'Set DATABASE_URL to a PostgreSQL database shared with the workers, or PRISM_WORKERS above 0 to run reviews in this server.',
    },
  );
}

/**
 * The job queue `config` asks for: in Redis with BullMQ when `REDIS_URL` is set, else in the
 * store's `jobs` table. Either way a review survives a crash or restart and is run to its end
 * once, here or by any `prism worker` on the same database (and Redis).
 */
export function serverJobs(
  config: ServerConfig,
  store: SqlStore,
  options: ServerJobsOptions,
): ServerJobs {
  const settings = {
    concurrency: options.concurrency,
    leaseMs: config.PRISM_JOB_LEASE_SECONDS * 1000,
    ...(options.onError === undefined ? {} : { onError: options.onError }),
  };
  let queue: SqlJobQueue | BullJobQueue | undefined;
  return {
    factory: (run) => {
      queue =
        config.REDIS_URL === undefined
          ? new SqlJobQueue(store, run, settings)
          : new BullJobQueue(store, run, {
              ...settings,
              redisUrl: config.REDIS_URL,
              prefix: config.PRISM_REDIS_PREFIX,
            });
      return queue;
    },
    close: async () => {
      await queue?.close();
    },
  };
}
