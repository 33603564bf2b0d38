import type { ReviewJob } from '@prism/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqlJobQueue } from '../../src/jobs/sql-job-queue.js';
import { openStore } from '../../src/store/open-store.js';
import type { SqlStore } from '../../src/store/sql-store.js';
import { createTestDatabase, type TestDatabase } from '../store/test-database.js';
import { describeSqlJobQueue, eventually, FAST } from './sql-job-queue-suite.js';

describeSqlJobQueue('PostgreSQL', async () => {
  const database = await createTestDatabase();
  const store = await openStore({ databaseUrl: database.url, poolSize: 4 });
  return {
    store,
    close: async () => {
      await store.close();
      await database.drop();
    },
  };
});

describe('SqlJobQueue workers sharing one PostgreSQL database', { timeout: 30_000 }, () => {
  let database: TestDatabase;
  let stores: SqlStore[] = [];
  beforeAll(async () => {
    database = await createTestDatabase();
    // Two pools, as two processes would have.
    stores = [
      await openStore({ databaseUrl: database.url, poolSize: 3 }),
      await openStore({ databaseUrl: database.url, poolSize: 3 }),
    ];
  });
  afterAll(async () => {
    for (const store of stores) await store.close();
    await database?.drop();
  });

  it('never run one job twice, and each takes its share', async () => {
    const runs: Array<{ worker: string; reviewId: string }> = [];
    // The first four runs wait for one another: four at once, two per worker, means both
    // workers are taking jobs.
    let release = () => {};
    const allStarted = new Promise<void>((resolve) => (release = resolve));
    const runner = (worker: string) => async (job: ReviewJob) => {
      runs.push({ worker, reviewId: job.reviewId });
      if (runs.length === 4) release();
      if (runs.length <= 4) await allStarted;
    };
    const queues = stores.map(
      (store, index) =>
        new SqlJobQueue(store, runner(`worker-${index}`), {
          ...FAST,
          concurrency: 2,
          workerId: `worker-${index}`,
        }),
    );
    const [first] = queues;
    const reviewIds = Array.from({ length: 40 }, (_, index) => `rev_shared_${index}`);
    try {
      for (const reviewId of reviewIds) await first?.enqueueReview({ tenantId: 't', reviewId });
      await eventually(async () => {
        const counted = await stores[0]?.client.query<{ done: number }>(
          `SELECT count(*)::int AS done FROM jobs WHERE status = 'done'`,
        );
        expect(counted?.rows[0]?.done).toBe(reviewIds.length);
      });
    } finally {
      for (const queue of queues) await queue.close();
    }

    expect(runs.map((run) => run.reviewId).sort()).toEqual([...reviewIds].sort());
    expect(new Set(runs.slice(0, 4).map((run) => run.worker))).toEqual(
      new Set(['worker-0', 'worker-1']),
    );
    const attempts = await stores[0]?.client.query('SELECT DISTINCT attempts FROM jobs');
    expect(attempts?.rows).toEqual([{ attempts: 1 }]);
  });
});
