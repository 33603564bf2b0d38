import { PrismError, PrismService } from '@prism/sdk';
import { type ServerConfig, webhookRetriesOf } from '../config.js';
import { modelSettingsOf } from '../model-settings.js';
import { openStore } from '../store/open-store.js';
import { serverJobs } from './server-jobs.js';

/** How {@link startWorker} runs jobs. */
export interface WorkerOptions {
  /** Jobs run at once, at least 1. */
  concurrency: number;
  /** Told of what went wrong outside a job (the database or Redis failing meanwhile). */
  onError?: (error: unknown) => void;
}

/** A started worker. */
export interface RunningWorker {
  /** Where it takes jobs from: `redis` or `postgresql`. */
  queue: 'redis' | 'postgresql';
  /** Stops taking jobs, waits for the running ones and their webhooks, then closes the store. */
  close(): Promise<void>;
}

/**
 * Runs the review jobs the servers of `config`'s database queue, without serving the API: from
 * Redis (BullMQ) when `REDIS_URL` is set, else from the database's `jobs` table.
 *
 * @throws {PrismError} `worker_needs_database` without `DATABASE_URL` (the embedded database
 *   belongs to the one process that opened it); `invalid_argument` for a concurrency below 1.
 */
export async function startWorker(
  config: ServerConfig,
  options: WorkerOptions,
): Promise<RunningWorker> {
  if (config.DATABASE_URL === undefined) {
    throw new PrismError(
      'worker_needs_database',
      'A worker needs a PostgreSQL database (DATABASE_URL); the embedded database belongs to the server that opened it.',
      {
        hint: 'Set DATABASE_URL to the database your Prism servers use, or let prism serve run the jobs itself (PRISM_WORKERS above 0).',
      },
    );
  }
  if (!(Number.isSafeInteger(options.concurrency) && options.concurrency >= 1)) {
    throw new PrismError(
      'invalid_argument',
      `A worker's concurrency must be a whole number >= 1, not ${options.concurrency}.`,
      { hint: 'Give the number of review jobs to run at once, e.g. 2.' },
    );
  }
  const store = await openStore({
    databaseUrl: config.DATABASE_URL,
    poolSize: config.DATABASE_POOL_SIZE,
  });
  const jobs = serverJobs(config, store, options);
  const models = await modelSettingsOf(config, store);
  const service = new PrismService({
    ...models.service,
    store,
    jobs: jobs.factory,
    webhookRetries: webhookRetriesOf(config),
  });
  return {
    queue: config.REDIS_URL === undefined ? 'postgresql' : 'redis',
    async close() {
      await jobs.close();
      await service.close();
      await models.close();
      await store.close();
    },
  };
}
