import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresRefreshLock } from '../../src/connections/refresh-lock-postgres.js';
import { RedisRefreshLock } from '../../src/connections/refresh-lock-redis.js';
import { openStore } from '../../src/store/open-store.js';
import type { SqlStore } from '../../src/store/sql-store.js';
import { connectTestRedis, deleteKeysUnder, uniqueKeyPrefix } from '../rate-limit/test-redis.js';
import { createTestDatabase, type TestDatabase } from '../store/test-database.js';

/** A promise and the function that resolves it. */
function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve = () => {};
  const promise = new Promise<void>((settle) => {
    resolve = settle;
  });
  return { promise, resolve };
}

describe('RedisRefreshLock', () => {
  const keyPrefix = uniqueKeyPrefix().replace(/:$/, '');
  let redis: Redis;

  beforeAll(async () => {
    redis = await connectTestRedis();
  });
  afterAll(async () => {
    await deleteKeysUnder(redis, keyPrefix);
    await redis.quit();
  });

  it('lets a second holder in only after the first released the lock', async () => {
    const events: string[] = [];
    const firstHolds = deferred();
    const secondWaits = deferred();
    const first = new RedisRefreshLock(redis, { keyPrefix });
    const second = new RedisRefreshLock(redis, {
      keyPrefix,
      sleep: async () => {
        events.push('second waits');
        secondWaits.resolve();
      },
    });

    const holding = deferred();
    const firstDone = first.withLock('token-refresh:a', async () => {
      events.push('first starts');
      holding.resolve();
      await firstHolds.promise;
      events.push('first ends');
    });
    await holding.promise;
    const secondDone = second.withLock('token-refresh:a', async () => {
      events.push('second starts');
    });
    await secondWaits.promise;
    firstHolds.resolve();
    await Promise.all([firstDone, secondDone]);

    expect(events.indexOf('first ends')).toBeLessThan(events.indexOf('second starts'));
    expect(events.filter((event) => event === 'second starts')).toHaveLength(1);
    expect(await redis.exists(`${keyPrefix}:token-refresh:a`)).toBe(0);
  });

  it('gives up with token_refresh_busy after waiting maxWaitMs, pausing longer each time', async () => {
    await redis.set(`${keyPrefix}:token-refresh:busy`, 'another-holder', 'PX', 60_000);
    const pauses: number[] = [];
    const lock = new RedisRefreshLock(redis, {
      keyPrefix,
      maxWaitMs: 300,
      initialBackoffMs: 20,
      maxBackoffMs: 100,
      sleep: async (ms) => {
        pauses.push(ms);
      },
    });
    let ran = false;

    await expect(
      lock.withLock('token-refresh:busy', async () => {
        ran = true;
      }),
    ).rejects.toMatchObject({ code: 'token_refresh_busy', hint: expect.stringMatching(/retry/i) });

    expect(ran).toBe(false);
    expect(pauses).toEqual([20, 40, 80, 100, 60]);
    expect(await redis.get(`${keyPrefix}:token-refresh:busy`)).toBe('another-holder');
  });

  it('does not delete a lock another holder took after its own expired', async () => {
    const key = `${keyPrefix}:token-refresh:expired`;
    const lock = new RedisRefreshLock(redis, { keyPrefix, ttlMs: 60_000 });

    await lock.withLock('token-refresh:expired', async () => {
      // Its lock expired mid-work and another holder took it.
      await redis.set(key, 'next-holder', 'PX', 60_000);
    });

    expect(await redis.get(key)).toBe('next-holder');
  });

  it('releases the lock when the work fails, and expires it after ttlMs otherwise', async () => {
    const lock = new RedisRefreshLock(redis, { keyPrefix, ttlMs: 45_000 });
    let ttl = 0;

    await expect(
      lock.withLock('token-refresh:failing', async () => {
        ttl = await redis.pttl(`${keyPrefix}:token-refresh:failing`);
        throw new Error('refresh failed');
      }),
    ).rejects.toThrow('refresh failed');

    expect(ttl).toBeGreaterThan(40_000);
    expect(ttl).toBeLessThanOrEqual(45_000);
    expect(await redis.exists(`${keyPrefix}:token-refresh:failing`)).toBe(0);
  });
});

describe('PostgresRefreshLock on PostgreSQL', () => {
  let database: TestDatabase;
  let stores: [SqlStore, SqlStore];

  beforeAll(async () => {
    database = await createTestDatabase();
    const first = await openStore({ databaseUrl: database.url, poolSize: 2 });
    stores = [first, await openStore({ databaseUrl: database.url, poolSize: 2 })];
  }, 60_000);
  afterAll(async () => {
    await Promise.all(stores.map((store) => store.close()));
    await database.drop();
  });

  it('makes a second process wait in PostgreSQL until the first commits', async () => {
    const [first, second] = stores;
    const events: string[] = [];
    const firstHolds = deferred();
    const holding = deferred();

    const firstDone = new PostgresRefreshLock(first.client, { holdDuringWork: true }).withLock(
      'token-refresh:a',
      async () => {
        events.push('first starts');
        holding.resolve();
        await firstHolds.promise;
        events.push('first ends');
      },
    );
    await holding.promise;
    const secondDone = new PostgresRefreshLock(second.client, { holdDuringWork: true }).withLock(
      'token-refresh:a',
      async () => {
        events.push('second starts');
      },
    );
    await waitForAdvisoryLockWaiter(first);
    firstHolds.resolve();
    await Promise.all([firstDone, secondDone]);

    expect(events).toEqual(['first starts', 'first ends', 'second starts']);
  });

  it('does not make other keys wait', async () => {
    const [first, second] = stores;
    const firstHolds = deferred();
    const holding = deferred();
    const firstDone = new PostgresRefreshLock(first.client, { holdDuringWork: true }).withLock(
      'token-refresh:b',
      async () => {
        holding.resolve();
        await firstHolds.promise;
      },
    );
    await holding.promise;

    const other = await new PostgresRefreshLock(second.client, { holdDuringWork: true }).withLock(
      'token-refresh:c',
      async () => 'ran',
    );
    firstHolds.resolve();
    await firstDone;

    expect(other).toBe('ran');
  });
});

describe('PostgresRefreshLock on the embedded database', () => {
  let store: SqlStore;

  beforeAll(async () => {
    store = await openStore();
  }, 60_000);
  afterAll(async () => {
    await store.close();
  });

  it('takes the lock, then leaves the database free for the work', async () => {
    const lock = new PostgresRefreshLock(store.client, { holdDuringWork: false });

    const result = await lock.withLock('token-refresh:a', async () => {
      // A transaction held open would keep this statement waiting.
      const { rows } = await store.client.query<{ one: number }>('SELECT 1 AS one');
      return rows[0]?.one;
    });

    expect(result).toBe(1);
  });
});

/** Resolves once a session is waiting for an advisory lock in `store`'s database. */
async function waitForAdvisoryLockWaiter(store: SqlStore): Promise<void> {
  for (;;) {
    const { rows } = await store.client.query<{ waiting: number }>(
      `SELECT count(*)::int AS waiting FROM pg_locks
       WHERE locktype = 'advisory' AND NOT granted AND database = (
         SELECT oid FROM pg_database WHERE datname = current_database())`,
    );
    if ((rows[0]?.waiting ?? 0) > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
