import type { WriteBackOutcome } from '@prism/connector-sharepoint';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Vault } from '../../src/connections/vault.js';
import { generateEncryptionKey } from '../../src/connections/vault-keys.js';
import { SqlWatchStore } from '../../src/sharepoint/sql-watch-store.js';
import { SharePointWriteBacks } from '../../src/sharepoint/write-backs.js';
import { openStore } from '../../src/store/open-store.js';
import type { SqlStore } from '../../src/store/sql-store.js';
import { createTestDatabase, type TestDatabase } from '../store/test-database.js';
import { insertReview, sampleWatch, watchedMetadata } from './store-fixtures.js';
import { describeWriteBacks } from './write-backs-suite.js';

describeWriteBacks('PostgreSQL', async () => {
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

describe('SharePoint write-backs of instances sharing one PostgreSQL database', {
  timeout: 30_000,
}, () => {
  let database: TestDatabase;
  let stores: SqlStore[] = [];
  beforeAll(async () => {
    database = await createTestDatabase();
    // Two pools, as two instances would have.
    stores = [
      await openStore({ databaseUrl: database.url, poolSize: 3 }),
      await openStore({ databaseUrl: database.url, poolSize: 3 }),
    ];
  });
  afterAll(async () => {
    for (const store of stores) await store.close();
    await database?.drop();
  });

  it('never write a review back twice, and each takes its share', async () => {
    const [first] = stores;
    if (first === undefined) throw new Error('no store');
    const watch = sampleWatch();
    await new SqlWatchStore(first.client, new Vault(generateEncryptionKey('k1'))).insert(watch);
    const reviewIds = Array.from(
      { length: 40 },
      (_, index) => `rev_${String(index).padStart(2, '0')}`,
    );
    for (const id of reviewIds) {
      await insertReview(first.client, {
        id,
        tenantId: watch.tenantId,
        status: 'succeeded',
        metadata: watchedMetadata(watch.id, `01${id}`),
        completedAt: new Date().toISOString(),
      });
    }
    const runs: Array<{ instance: number; reviewId: string }> = [];
    const instances = stores.map(
      (store, instance) =>
        new SharePointWriteBacks({
          client: store.client,
          writeBack: async (_watchId, reviewId): Promise<WriteBackOutcome> => {
            runs.push({ instance, reviewId });
            await new Promise((resolve) => setTimeout(resolve, 2));
            return { status: 'skipped', reviewId, reason: 'superseded' };
          },
          settings: { batchSize: 4 },
        }),
    );

    for (let pass = 0; pass < 8; pass += 1) {
      await Promise.all(instances.map((instance) => instance.runOnce()));
    }

    expect(runs.map((run) => run.reviewId).sort()).toEqual(reviewIds);
    expect(new Set(runs.map((run) => run.instance))).toEqual(new Set([0, 1]));
  });
});
