import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RateLimitPluginOptions } from '../../src/rate-limit/plugin.js';
import { bearer, buildLimitedApp } from './limited-app.js';
import { connectTestRedis, deleteKeysUnder, keysUnder, uniqueKeyPrefix } from './test-redis.js';

describe('rateLimitPlugin counted in Redis', () => {
  const keyPrefix = uniqueKeyPrefix();
  const clients: Redis[] = [];
  const apps: FastifyInstance[] = [];
  const appWith = async (options: RateLimitPluginOptions) => {
    const app = await buildLimitedApp(options);
    apps.push(app);
    return app;
  };
  const list = (app: FastifyInstance, keyId: string) =>
    app.inject({ method: 'GET', url: '/v2/documents', headers: bearer(keyId) });

  beforeAll(async () => {
    clients.push(await connectTestRedis(), await connectTestRedis());
  });
  afterEach(async () => {
    await Promise.all(apps.splice(0).map((app) => app.close()));
  });
  afterAll(async () => {
    const [client] = clients;
    if (client) await deleteKeysUnder(client, keyPrefix);
    await Promise.all(clients.map((each) => each.quit()));
  });

  it('shares one budget per key between two servers on the same Redis and key prefix', async () => {
    const [first, second] = clients as [Redis, Redis];
    const sharedPrefix = `${keyPrefix}shared:`;
    const serverA = await appWith({
      max: 3,
      windowMs: 60_000,
      redis: first,
      keyPrefix: sharedPrefix,
    });
    const serverB = await appWith({
      max: 3,
      windowMs: 60_000,
      redis: second,
      keyPrefix: sharedPrefix,
    });

    const answers = [
      await list(serverA, 'key_shared'),
      await list(serverB, 'key_shared'),
      await list(serverA, 'key_shared'),
      await list(serverB, 'key_shared'),
    ];
    expect(answers.map((response) => response.statusCode)).toEqual([200, 200, 200, 429]);
    expect(answers.map((response) => response.headers['x-ratelimit-remaining'])).toEqual([
      '2',
      '1',
      '0',
      '0',
    ]);
    expect(answers[3]?.json()).toMatchObject({ status: 429, code: 'rate_limited' });

    const otherKey = await list(serverB, 'key_other');
    expect(otherKey.statusCode).toBe(200);
    expect(otherKey.headers['x-ratelimit-remaining']).toBe('2');
    expect((await keysUnder(first, sharedPrefix)).sort()).toEqual([
      `${sharedPrefix}key_other`,
      `${sharedPrefix}key_shared`,
    ]);
  });

  it('serves the key again after waiting the Retry-After seconds', async () => {
    const app = await appWith({ max: 1, windowMs: 1000, redis: clients[0], keyPrefix });
    expect((await list(app, 'key_wait')).statusCode).toBe(200);
    const refused = await list(app, 'key_wait');
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['retry-after']).toBe('1');

    await sleep(Number(refused.headers['retry-after']) * 1000);
    const again = await list(app, 'key_wait');
    expect(again.statusCode).toBe(200);
    expect(again.headers['x-ratelimit-remaining']).toBe('0');
  });

  it('keeps the budgets of different key prefixes apart', async () => {
    const app = await appWith({ max: 1, windowMs: 60_000, redis: clients[0], keyPrefix });
    const elsewhere = await appWith({
      max: 1,
      windowMs: 60_000,
      redis: clients[1],
      keyPrefix: `${keyPrefix}elsewhere:`,
    });
    expect((await list(app, 'key_apart')).statusCode).toBe(200);
    expect((await list(app, 'key_apart')).statusCode).toBe(429);
    expect((await list(elsewhere, 'key_apart')).statusCode).toBe(200);
  });

  it('serves requests unlimited, without limit headers, while Redis is unreachable', async () => {
    const unreachable = new Redis({
      host: '127.0.0.1',
      port: 1,
      lazyConnect: true,
      enableOfflineQueue: false,
      retryStrategy: () => null,
    });
    const app = await appWith({ max: 1, windowMs: 60_000, redis: unreachable, keyPrefix });
    const answers = [await list(app, 'key_down'), await list(app, 'key_down')];
    expect(answers.map((response) => response.statusCode)).toEqual([200, 200]);
    expect(answers[1]?.headers['x-ratelimit-limit']).toBeUndefined();
    unreachable.disconnect();
  });
});
