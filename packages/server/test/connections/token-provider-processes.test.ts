import type { Redis } from 'ioredis';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { ConnectionSecrets } from '../../src/connections/connection-secrets.js';
import { Vault } from '../../src/connections/vault.js';
import { generateEncryptionKey } from '../../src/connections/vault-keys.js';
import { openStore } from '../../src/store/open-store.js';
import { connectTestRedis, deleteKeysUnder, uniqueKeyPrefix } from '../rate-limit/test-redis.js';
import { createTestDatabase } from '../store/test-database.js';
import { spawnTokenChild, type TokenChild } from './token-children.js';
import { startTokenEndpoint } from './token-endpoint.js';
import { expiredTokens, seedConnection, TENANT } from './token-fixtures.js';

const REDIS_URL = process.env.PRISM_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

describe('TokenProvider across processes', () => {
  const children: TokenChild[] = [];
  const cleanups: (() => Promise<void>)[] = [];
  const redisPrefix = uniqueKeyPrefix().replace(/:$/, '');
  let redis: Redis | undefined;

  afterEach(async () => {
    for (const child of children.splice(0)) child.kill();
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  afterAll(async () => {
    if (redis !== undefined) {
      await deleteKeysUnder(redis, redisPrefix);
      await redis.quit();
    }
  });

  /**
   * Two processes sharing one PostgreSQL database (and Redis, when `withRedis`) each ask 25
   * times at once for the token of the same expired connection. The token endpoint holds its
   * answer until both processes are at the refresh lock, so without the lock both would refresh.
   */
  async function raceTwoProcesses(withRedis: boolean) {
    const database = await createTestDatabase();
    cleanups.push(() => database.drop());
    const store = await openStore({ databaseUrl: database.url, poolSize: 2 });
    cleanups.push(() => store.close());
    const encryptionKeys = generateEncryptionKey('test-key');
    const secrets = new ConnectionSecrets(store.client, new Vault(encryptionKeys));
    const connection = await seedConnection(store.connections, secrets, expiredTokens());

    let release = () => {};
    const bothAtLock = new Promise<void>((resolve) => {
      release = resolve;
    });
    const endpoint = await startTokenEndpoint({
      refreshTokens: ['refresh-0'],
      beforeAnswer: () => bothAtLock,
    });
    cleanups.push(() => endpoint.close());
    if (withRedis) redis ??= await connectTestRedis();

    const env = {
      PRISM_TEST_DATABASE_URL: database.url,
      PRISM_ENCRYPTION_KEYS: encryptionKeys,
      TOKEN_URL: endpoint.url,
      CONNECTION_ID: connection.id,
      ...(withRedis
        ? { PRISM_TEST_REDIS_URL: REDIS_URL, PRISM_TEST_REDIS_PREFIX: redisPrefix }
        : {}),
    };
    const pair = [spawnTokenChild(env), spawnTokenChild(env)] as const;
    children.push(...pair);
    await Promise.all(pair.map((child) => child.printed('ready')));
    void Promise.all(pair.map((child) => child.printed('locking'))).then(release, () => {});
    for (const child of pair) child.go();
    const results = await Promise.all(pair.map((child) => child.result()));

    return { endpoint, results, stored: await secrets.read(TENANT, connection.id) };
  }

  it.each([
    ['PostgreSQL (advisory lock)', false],
    ['Redis (lock key)', true],
  ])(
    'makes exactly one refresh request for 50 calls in two processes sharing %s',
    async (_, withRedis) => {
      const { endpoint, results, stored } = await raceTwoProcesses(withRedis);

      expect(endpoint.grants).toEqual(['refresh-0']);
      for (const result of results) {
        expect(result.accessTokens).toHaveLength(25);
        expect(new Set(result.accessTokens)).toEqual(new Set(['access-1']));
      }
      expect(results.map((result) => result.stats.refreshes).sort()).toEqual([0, 1]);
      expect(stored).toMatchObject({
        tokens: { accessToken: 'access-1', refreshToken: 'refresh-1' },
        version: 2,
      });
    },
    120_000,
  );
});
