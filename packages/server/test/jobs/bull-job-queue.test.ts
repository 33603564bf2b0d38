import { randomBytes } from 'node:crypto';
import { MemoryStore, PrismService, type Review, type ReviewJobRunner } from '@prism/sdk';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  BullJobQueue,
  type BullJobQueueOptions,
  REVIEW_QUEUE_NAME,
} from '../../src/jobs/bull-job-queue.js';
import { connectTestRedis, deleteKeysUnder, keysUnder } from '../rate-limit/test-redis.js';

const REDIS_URL = process.env.PRISM_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const ACTOR = { type: 'system', id: 'test', name: 'test' } as const;
const NOTES = '# Incident notes\n\n## Summary\n\nThe VPN gateway went down for two hours.\n';

describe('BullJobQueue', { timeout: 30_000 }, () => {
  // A prefix of this run's own, so runs never share keys, and every key is removed after.
  const prefix = `prism-test:jobs:${randomBytes(6).toString('hex')}`;
  let redis: Redis;
  let store: MemoryStore;
  const open: Array<{ close(): Promise<void> }> = [];
  beforeAll(async () => {
    redis = await connectTestRedis();
    store = new MemoryStore();
  });
  afterEach(async () => {
    for (const closable of open.splice(0).reverse()) await closable.close();
  });
  afterAll(async () => {
    if (redis) {
      await deleteKeysUnder(redis, `${prefix}:`);
      redis.disconnect();
    }
  });

  /** A service whose reviews go through a BullJobQueue with `options`, closed after the test. */
  function serviceWithQueue(
    options: Partial<BullJobQueueOptions>,
    wrap = (run: ReviewJobRunner) => run,
  ): { service: PrismService; queue: BullJobQueue } {
    let queue: BullJobQueue | undefined;
    const service = new PrismService({
      store,
      jobs: (run) => {
        queue = new BullJobQueue(store, wrap(run), { redisUrl: REDIS_URL, prefix, ...options });
        return queue;
      },
    });
    if (queue === undefined) throw new Error('PrismService did not make its job queue');
    open.push(service, queue);
    return { service, queue };
  }

  async function createReview(service: PrismService): Promise<Review> {
    const api = service.forActor('tenant-bull', ACTOR);
    const document = await api.documents.create({
      file: new TextEncoder().encode(NOTES),
      filename: 'notes.md',
    });
    const handle = await api.reviews.create({ documentId: document.id });
    return api.reviews.get(handle.id);
  }

  const eventually = (check: () => Promise<void>) =>
    vi.waitFor(check, { timeout: 15_000, interval: 20 });

  it('queues a review once (its id is the job id) and runs it once to its end', async () => {
    const runs: string[] = [];
    const { service, queue } = serviceWithQueue({}, (run) => (job) => {
      runs.push(job.reviewId);
      return run(job);
    });
    const review = await createReview(service);
    await queue.enqueueReview({ tenantId: review.tenantId, reviewId: review.id });
    await queue.enqueueReview({ tenantId: review.tenantId, reviewId: review.id });

    await eventually(async () =>
      expect((await store.reviews.get(review.tenantId, review.id))?.status).toBe('succeeded'),
    );
    await queue.settle();
    expect(runs).toEqual([review.id]);
    const inspector = new Queue(REVIEW_QUEUE_NAME, { connection: redis, prefix });
    try {
      expect(
        await inspector.getJobCounts('waiting', 'active', 'delayed', 'completed'),
      ).toMatchObject({
        waiting: 0,
        active: 0,
        delayed: 0,
        completed: 1,
      });
      expect((await inspector.getJob(review.id))?.data).toEqual({
        tenantId: review.tenantId,
        reviewId: review.id,
      });
    } finally {
      await inspector.close();
    }
    expect(await keysUnder(redis, `${prefix}:${REVIEW_QUEUE_NAME}:`)).not.toEqual([]);
  });

  it('retries a failing run, then gives the job up and fails its review with job_failed', async () => {
    let runs = 0;
    const { service } = serviceWithQueue({ maxAttempts: 2, backoffMs: 1 }, () => async () => {
      runs += 1;
      throw new Error('database unreachable');
    });
    const review = await createReview(service);
    await eventually(async () =>
      expect(await store.reviews.get(review.tenantId, review.id)).toMatchObject({
        status: 'failed',
        error: {
          code: 'job_failed',
          message: 'The review could not be run: database unreachable',
        },
      }),
    );
    expect(runs).toBe(2);
  });

  it('only queues with concurrency 0, for workers elsewhere to run', async () => {
    const { service } = serviceWithQueue({ concurrency: 0 });
    const review = await createReview(service);
    const inspector = new Queue(REVIEW_QUEUE_NAME, { connection: redis, prefix });
    try {
      expect((await inspector.getJob(review.id))?.data.reviewId).toBe(review.id);
      expect(await inspector.getJobCounts('waiting')).toMatchObject({ waiting: 1 });
      await inspector.obliterate({ force: true });
    } finally {
      await inspector.close();
    }
  });

  it('leaves no key behind once the queue is obliterated and the prefix cleaned', async () => {
    const inspector = new Queue(REVIEW_QUEUE_NAME, { connection: redis, prefix });
    await inspector.obliterate({ force: true });
    await inspector.close();
    await deleteKeysUnder(redis, `${prefix}:`);
    expect(await keysUnder(redis, `${prefix}:`)).toEqual([]);
  });
});
