import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';

/**
 * The Redis the tests that need one use (the SDK's clustered limiter, the server's rate limits,
 * job queue and locks): `PRISM_TEST_REDIS_URL`, or a local one.
 */
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

/** The keys under `prefix` (found with SCAN, so a busy Redis is not blocked). */
export async function keysUnder(client: Redis, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  for await (const batch of client.scanStream({ match: `${prefix}*`, count: 100 })) {
    keys.push(...(batch as string[]));
  }
  return keys;
}

/** Deletes every key under `prefix`. */
export async function deleteKeysUnder(client: Redis, prefix: string): Promise<void> {
  const keys = await keysUnder(client, prefix);
  if (keys.length > 0) await client.del(...keys);
}
