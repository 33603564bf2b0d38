import { randomBytes } from 'node:crypto';
import { generateApiKeySecret, HttpPrism } from '@prism/sdk';
import { describePrismContract } from '@prism/sdk/contract';
import type { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigSchema } from '../../src/config.js';
import { type RunningServer, startServer } from '../../src/start.js';
import { connectTestRedis, deleteKeysUnder, keysUnder } from '../rate-limit/test-redis.js';
import { createTestDatabase, type TestDatabase } from '../store/test-database.js';

// The scaled-out server: PostgreSQL for records, Redis for the job queue (BullMQ) and the rate
// limits, assembled by startServer exactly as `prism serve` does with DATABASE_URL and REDIS_URL.
const REDIS_URL = process.env.PRISM_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = `prism-test-${randomBytes(6).toString('hex')}`;

let database: TestDatabase | undefined;
let server: RunningServer | undefined;
let client: HttpPrism | undefined;
let redis: Redis | undefined;
afterAll(async () => {
  await client?.close();
  await server?.close();
  await database?.drop();
  if (redis !== undefined) {
    await deleteKeysUnder(redis, `${prefix}:`);
    redis.disconnect();
  }
});

describePrismContract('a running server on PostgreSQL and Redis', async () => {
  redis = await connectTestRedis();
  database = await createTestDatabase();
  const adminKey = generateApiKeySecret();
  server = await startServer(
    ConfigSchema.parse({
      PORT: 0,
      DATABASE_URL: database.url,
      DATABASE_POOL_SIZE: 4,
      REDIS_URL,
      PRISM_REDIS_PREFIX: prefix,
      PRISM_BOOTSTRAP_KEY: adminKey,
      PRISM_LOG_LEVEL: 'silent',
      PRISM_RATE_LIMIT_PER_MINUTE: 1_000_000,
    }),
  );
  client = new HttpPrism({ baseUrl: server.url, apiKey: adminKey });
  return client;
});

describe('the server on PostgreSQL and Redis, after the contract suite', () => {
  it('ran the reviews through BullMQ and counted requests in Redis, under its own prefix', async () => {
    const live = redis as Redis;
    expect(await live.zcard(`${prefix}:reviews:completed`)).toBeGreaterThan(0);
    expect(await keysUnder(live, `${prefix}:rate-limit:`)).not.toEqual([]);
  });
});
