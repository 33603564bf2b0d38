import { PrismService, type Review, type ReviewJob, type ReviewJobRunner } from '@prism/sdk';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { SqlJobQueue, type SqlJobQueueOptions } from '../../src/jobs/sql-job-queue.js';
import type { SqlStore } from '../../src/store/sql-store.js';

/** A store for the suite, and how to let it go. */
export interface SuiteStore {
  store: SqlStore;
  close(): Promise<void>;
}

/** A row of the `jobs` table, as the tests read it. */
export interface JobRow {
  status: 'queued' | 'running' | 'done' | 'dead';
  attempts: number;
  worker_id: string | null;
  last_error: string | null;
}

const NOTES = `# Incident notes

## Summary

The VPN gateway went down for two hours; staff could not reach the file servers.

## Actions

Someone will look at the monitoring at some point.
`;

const ACTOR = { type: 'system', id: 'test', name: 'test' } as const;

/** Fast settings for tests: poll often, retry without waiting. */
export const FAST: SqlJobQueueOptions = { pollMs: 10, backoffMs: 1 };

/** The job row of a review. */
export async function jobOf(store: SqlStore, reviewId: string): Promise<JobRow | undefined> {
  const { rows } = await store.client.query<JobRow>(
    'SELECT status, attempts, worker_id, last_error FROM jobs WHERE id = $1',
    [`review:${reviewId}`],
  );
  return rows[0];
}

/** Waits until `check` passes, polling (jobs end on their own time). */
export function eventually(check: () => Promise<void>): Promise<void> {
  return vi.waitFor(check, { timeout: 15_000, interval: 10 });
}

/** A service on `store` whose reviews go through a {@link SqlJobQueue} made by `makeQueue`. */
export function serviceWithQueue(
  store: SqlStore,
  makeQueue: (run: ReviewJobRunner) => SqlJobQueue,
): { service: PrismService; queue: SqlJobQueue } {
  let queue: SqlJobQueue | undefined;
  const service = new PrismService({
    store,
    jobs: (run) => {
      queue = makeQueue(run);
      return queue;
    },
  });
  if (queue === undefined) throw new Error('PrismService did not make its job queue');
  return { service, queue };
}

/** Uploads a short document to `tenantId` and queues a review of it; returns the review. */
export async function createReview(service: PrismService, tenantId: string): Promise<Review> {
  const api = service.forActor(tenantId, ACTOR);
  const document = await api.documents.create({
    file: new TextEncoder().encode(NOTES),
    filename: 'notes.md',
  });
  const handle = await api.reviews.create({ documentId: document.id });
  return api.reviews.get(handle.id);
}

/** The review as stored now. */
async function reviewOf(store: SqlStore, review: Review): Promise<Review | undefined> {
  return store.reviews.get(review.tenantId, review.id);
}

/** The suite every SQL database runs: PGlite (embedded) and PostgreSQL. */
export function describeSqlJobQueue(name: string, open: () => Promise<SuiteStore>): void {
  describe(`SqlJobQueue on ${name}`, { timeout: 30_000 }, () => {
    let opened: SuiteStore;
    let store: SqlStore;
    // Each test's workers stop with it, so no worker of one test takes jobs of the next.
    const workers: Array<{ close(): Promise<void> }> = [];
    beforeAll(async () => {
      opened = await open();
      store = opened.store;
    });
    afterEach(async () => {
      for (const closable of workers.splice(0).reverse()) await closable.close();
    });
    afterAll(async () => {
      await opened?.close();
    });

    /** A service whose queue runs jobs here with `options`, closed after the test. */
    function worker(options: SqlJobQueueOptions, wrap = (run: ReviewJobRunner) => run) {
      const made = serviceWithQueue(store, (run) => new SqlJobQueue(store, wrap(run), options));
      workers.push(made.service, made.queue);
      return made;
    }

    it('runs a review once to its end, however often it is enqueued', async () => {
      const runs: string[] = [];
      const { service, queue } = worker(FAST, (run) => (job) => {
        runs.push(job.reviewId);
        return run(job);
      });
      const review = await createReview(service, 'tenant-once');
      await queue.enqueueReview({ tenantId: review.tenantId, reviewId: review.id });
      await queue.enqueueReview({ tenantId: review.tenantId, reviewId: review.id });

      await eventually(async () => expect((await jobOf(store, review.id))?.status).toBe('done'));
      expect(await reviewOf(store, review)).toMatchObject({ status: 'succeeded' });
      expect(runs).toEqual([review.id]);
      expect(await jobOf(store, review.id)).toMatchObject({ attempts: 1, last_error: null });
      const { rows } = await store.client.query('SELECT 1 FROM jobs WHERE id = $1', [
        `review:${review.id}`,
      ]);
      expect(rows).toHaveLength(1);
    });

    it('runs a job again after a run that failed, and the retry completes the review', async () => {
      let failed = false;
      const { service } = worker(FAST, (run) => async (job) => {
        if (!failed) {
          failed = true;
          throw new Error('connection reset');
        }
        await run(job);
      });
      const review = await createReview(service, 'tenant-retry');
      await eventually(async () => expect((await jobOf(store, review.id))?.status).toBe('done'));
      expect(await jobOf(store, review.id)).toMatchObject({ attempts: 2, last_error: null });
      expect(await reviewOf(store, review)).toMatchObject({ status: 'succeeded' });
    });

    it('gives a job up after its last attempt and fails its review with job_failed', async () => {
      const runs: ReviewJob[] = [];
      const { service } = worker({ ...FAST, maxAttempts: 3 }, () => async (job) => {
        runs.push(job);
        throw new Error('database unreachable');
      });
      const review = await createReview(service, 'tenant-dead');
      await eventually(async () => expect((await jobOf(store, review.id))?.status).toBe('dead'));
      expect(await jobOf(store, review.id)).toMatchObject({
        attempts: 3,
        last_error: 'database unreachable',
      });
      expect(runs).toHaveLength(3);
      const failed = await reviewOf(store, review);
      expect(failed).toMatchObject({
        status: 'failed',
        error: {
          code: 'job_failed',
          message: 'The review could not be run: database unreachable',
        },
      });
      expect(failed?.completedAt).toEqual(expect.any(String));
    });

    it('takes again a job whose worker died (its lease lapsed); elsewhere, not one whose lease holds', async () => {
      // Queued by a server that runs no jobs, then "claimed" by workers: one died, one lives.
      const { service: api } = worker({ concurrency: 0 });
      const orphaned = await createReview(api, 'tenant-lease');
      const held = await createReview(api, 'tenant-lease');
      await store.client.query(
        `UPDATE jobs SET status = 'running', attempts = 1, worker_id = 'dead-worker',
           lease_until = now() - interval '1 second' WHERE id = $1`,
        [`review:${orphaned.id}`],
      );
      await store.client.query(
        `UPDATE jobs SET status = 'running', attempts = 1, worker_id = 'live-worker',
           lease_until = now() + interval '1 hour' WHERE id = $1`,
        [`review:${held.id}`],
      );

      worker({ ...FAST, workerId: 'recovering-worker' });
      await eventually(async () => expect((await jobOf(store, orphaned.id))?.status).toBe('done'));
      expect(await jobOf(store, orphaned.id)).toMatchObject({
        attempts: 2,
        worker_id: 'recovering-worker',
      });
      expect(await reviewOf(store, orphaned)).toMatchObject({ status: 'succeeded' });
      if (store.singleWriter) {
        // No other process opens the embedded database: the "live" worker is gone too.
        await eventually(async () => expect((await jobOf(store, held.id))?.status).toBe('done'));
        expect(await reviewOf(store, held)).toMatchObject({ status: 'succeeded' });
        return;
      }
      expect(await jobOf(store, held.id)).toMatchObject({
        status: 'running',
        attempts: 1,
        worker_id: 'live-worker',
      });
      expect(await reviewOf(store, held)).toMatchObject({ status: 'queued' });
    });

    it('deletes jobs done more than 7 days ago and dead more than 30 days ago', async () => {
      const { service: api } = worker({ concurrency: 0 });
      const reviews = await Promise.all(
        Array.from({ length: 4 }, () => createReview(api, 'tenant-purge')),
      );
      const finished = [
        ['done', '8 days'],
        ['done', '6 days'],
        ['dead', '31 days'],
        ['dead', '29 days'],
      ] as const;
      for (const [index, [status, age]] of finished.entries()) {
        await store.client.query(
          `UPDATE jobs SET status = $2, updated_at = now() - $3::interval WHERE id = $1`,
          [`review:${reviews[index]?.id}`, status, age],
        );
      }
      worker(FAST);
      await eventually(async () =>
        expect(await jobOf(store, reviews[0]?.id ?? '')).toBeUndefined(),
      );
      expect(await jobOf(store, reviews[2]?.id ?? '')).toBeUndefined();
      expect(await jobOf(store, reviews[1]?.id ?? '')).toMatchObject({ status: 'done' });
      expect(await jobOf(store, reviews[3]?.id ?? '')).toMatchObject({ status: 'dead' });
    });

    it('gives up unrun a job whose worker died during each of its attempts', async () => {
      const { service: api } = worker({ concurrency: 0 });
      const review = await createReview(api, 'tenant-crashing');
      await store.client.query(
        `UPDATE jobs SET status = 'running', attempts = 2, worker_id = 'dead-worker',
           lease_until = now() - interval '1 second' WHERE id = $1`,
        [`review:${review.id}`],
      );
      const runs: ReviewJob[] = [];
      worker({ ...FAST, maxAttempts: 2 }, () => async (job) => {
        runs.push(job);
      });
      await eventually(async () => expect((await jobOf(store, review.id))?.status).toBe('dead'));
      expect(runs).toEqual([]);
      expect(await reviewOf(store, review)).toMatchObject({
        status: 'failed',
        error: { code: 'job_failed', message: expect.stringContaining('worker stopped') },
      });
    });

    it('close() waits for the running jobs, then takes no more', async () => {
      let release = () => {};
      const released = new Promise<void>((resolve) => (release = resolve));
      const started: string[] = [];
      const { service, queue } = worker(FAST, (run) => async (job) => {
        started.push(job.reviewId);
        await released;
        await run(job);
      });
      const review = await createReview(service, 'tenant-close');
      await eventually(async () => expect(started).toEqual([review.id]));

      let closed = false;
      const closing = queue.close().then(() => {
        closed = true;
      });
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(closed).toBe(false);
      release();
      await closing;
      expect(await jobOf(store, review.id)).toMatchObject({ status: 'done' });
      expect(await reviewOf(store, review)).toMatchObject({ status: 'succeeded' });

      const later = await createReview(service, 'tenant-close');
      expect(started).toEqual([review.id]);
      expect(await jobOf(store, later.id)).toMatchObject({ status: 'queued', attempts: 0 });
    });

    it('refuses a setting out of range', () => {
      expect(() => new SqlJobQueue(store, async () => {}, { concurrency: -1 })).toThrow(
        expect.objectContaining({ code: 'invalid_argument' }),
      );
    });
  });
}
