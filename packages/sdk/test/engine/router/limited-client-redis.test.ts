import Bottleneck from 'bottleneck';
import { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  estimateRequestTokens,
  type LimitedModelClient,
  limitModelClient,
  type ModelClientLimits,
} from '../../../src/engine/providers/router/index.js';
import {
  type FakeModelClient,
  fakeModelClient,
  settle,
  toolRequest,
  until,
} from './fake-model-client.js';
import {
  connectTestRedis,
  deleteKeysUnder,
  eagerTestRedis,
  keysUnder,
  uniqueLimiterId,
} from './test-redis.js';

let admin: Redis;
let id: string;
const connections: Bottleneck.IORedisConnection[] = [];
const clients: LimitedModelClient[] = [];

/** What bottleneck names the Redis keys of the budget `id` with. */
const keyPrefix = () => `b_prism:model-limit:${id}`;

/** A limited client as one process would make it: its own Redis connection, the shared `id`. */
async function processClient(model: FakeModelClient, limits: ModelClientLimits) {
  const connection = new Bottleneck.IORedisConnection({ client: eagerTestRedis(), Redis });
  connections.push(connection);
  const client = limitModelClient(model, { ...limits, id, connection });
  clients.push(client);
  return client;
}

beforeEach(async () => {
  admin = await connectTestRedis();
  id = uniqueLimiterId();
});

afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.stop()));
  await Promise.all(connections.splice(0).map((connection) => connection.disconnect()));
  await deleteKeysUnder(admin, keyPrefix());
  expect(await keysUnder(admin, keyPrefix())).toEqual([]);
  await admin.quit();
});

describe('limitModelClient clustered through Redis', () => {
  it('two processes with the same id share one budget of requests and tokens', async () => {
    const modelA = fakeModelClient();
    const modelB = fakeModelClient();
    const limits = { requestsPerMinute: 3, tokensPerMinute: 1_000 };
    const processA = await processClient(modelA, limits);
    const processB = await processClient(modelB, limits);
    const request = toolRequest(400, 100);
    expect(estimateRequestTokens(request)).toBe(200);

    await processA.callTool(request);
    await processA.callTool(request);
    await processB.callTool(request);

    expect(await processA.counts()).toMatchObject({ requestsLeft: 0, tokensLeft: 400 });
    expect(await processB.counts()).toMatchObject({ requestsLeft: 0, tokensLeft: 400 });
    expect(await keysUnder(admin, keyPrefix())).not.toEqual([]);

    const controller = new AbortController();
    const waiting = processB.callTool(toolRequest(40, 10, controller.signal));
    await until(async () => (await processB.counts()).queued === 1);
    await settle();
    expect(modelB.calls).toBe(1);

    controller.abort();
    await expect(waiting).rejects.toMatchObject({ name: 'AbortError' });
    expect([modelA.calls, modelB.calls]).toEqual([2, 1]);
  });

  it('a request waiting in one process runs when the shared budget refills', async () => {
    const modelA = fakeModelClient();
    const modelB = fakeModelClient();
    const limits = { requestsPerMinute: 2, windowMs: 300 };
    const processA = await processClient(modelA, limits);
    const processB = await processClient(modelB, limits);

    await processA.callTool(toolRequest(40, 10));
    await processA.callTool(toolRequest(40, 10));
    await processB.callTool(toolRequest(40, 10));

    expect([modelA.calls, modelB.calls]).toEqual([2, 1]);
  });
});
