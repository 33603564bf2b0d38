import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';

/** The Redis the clustered limiter tests use: `PRISM_TEST_REDIS_URL`, or a local one. */
const REDIS_URL = process.env.PRISM_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/**
 * A new client of the test Redis, connected. Fails with a clear message when Redis cannot be
 * reached: these tests need it.
 */
export async function connectTestRedis(): Promise<Redis> {
  const client = new Redis(REDIS_URL, {
    lazyConnect: true,
    connectTimeout: 2000,
    maxRetriesPerRequest: 1,
    retryStrategy: () => null,
  });
  let connectionError: unknown;
  const noteError = (error: unknown) => {
    connectionError = error;
  };
  client.on('error', noteError);
  try {
    await client.connect();
  } catch (closed) {
    client.disconnect();
    const cause = connectionError ?? closed;
    throw new Error(
      `Redis is not reachable at ${REDIS_URL} (${String(cause)}). These tests need it: start Redis on 127.0.0.1:6379, or set PRISM_TEST_REDIS_URL.`,
      { cause },
    );
  }
  client.off('error', noteError);
  return client;
}

/**
 * A client of the test Redis for a bottleneck `IORedisConnection`, connecting at once: the
 * connection duplicates it for its subscriber and waits for both to be ready, which a
 * `lazyConnect` client never is on its own.
 */
export function eagerTestRedis(): Redis {
  return new Redis(REDIS_URL, {
    connectTimeout: 2000,
    maxRetriesPerRequest: 1,
    retryStrategy: () => null,
  });
}

/** A limiter id no other test run uses: `prism-test:model-limit:<random>`. */
export function uniqueLimiterId(): string {
  return `prism-test:model-limit:${randomBytes(6).toString('hex')}`;
}

/** Deletes every key whose name starts with `prefix` (found with SCAN). */
export async function deleteKeysStartingWith(client: Redis, prefix: string): Promise<void> {
  const keys: string[] = [];
  for await (const batch of client.scanStream({ match: `${prefix}*`, count: 100 })) {
    keys.push(...(batch as string[]));
  }
  if (keys.length > 0) await client.del(...keys);
}

/** Whether any key starts with `prefix`. */
export async function hasKeysStartingWith(client: Redis, prefix: string): Promise<boolean> {
  for await (const batch of client.scanStream({ match: `${prefix}*`, count: 100 })) {
    if ((batch as string[]).length > 0) return true;
  }
  return false;
}
