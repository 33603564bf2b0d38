/**
 * One Prism instance of the cross-process token tests, run as its own Node process: opens the
 * store at PRISM_TEST_DATABASE_URL (and Redis at PRISM_TEST_REDIS_URL, if set), prints `ready`,
 * waits for a line on stdin, then asks for the access token of CONNECTION_ID 25 times at once
 * and prints `result <json>` (the access tokens it got and its refresh counts). It prints
 * `locking` each time it goes for the refresh lock, so the test can hold the token endpoint's
 * answer until both processes are at the lock.
 */
import { once } from 'node:events';
import { Redis } from 'ioredis';
import { ConnectionSecrets } from '../../src/connections/connection-secrets.js';
import { chooseRefreshLock, type RefreshLock } from '../../src/connections/refresh-lock.js';
import { TokenProvider } from '../../src/connections/token-provider.js';
import { Vault } from '../../src/connections/vault.js';
import { openStore } from '../../src/store/open-store.js';
import { TENANT } from './token-fixtures.js';
import { tokenEndpointProvider } from './token-oauth-provider.js';

function setting(name: string): string {
  const value = process.env[name];
  if (value === undefined) throw new Error(`${name} is not set.`);
  return value;
}

const store = await openStore({ databaseUrl: setting('PRISM_TEST_DATABASE_URL'), poolSize: 4 });
const redisUrl = process.env.PRISM_TEST_REDIS_URL;
const redis = redisUrl === undefined ? undefined : new Redis(redisUrl, { lazyConnect: true });
await redis?.connect();
const chosen = chooseRefreshLock({
  client: store.client,
  singleWriter: store.singleWriter,
  redis,
  redisLock: { keyPrefix: process.env.PRISM_TEST_REDIS_PREFIX },
});
const lock: RefreshLock = {
  withLock(key, work) {
    process.stdout.write('locking\n');
    return chosen.withLock(key, work);
  },
};
const tokens = new TokenProvider({
  store,
  secrets: new ConnectionSecrets(store.client, new Vault(setting('PRISM_ENCRYPTION_KEYS'))),
  providerFor: () => tokenEndpointProvider({ tokenUrl: setting('TOKEN_URL') }),
  lock,
});

process.stdout.write('ready\n');
await once(process.stdin, 'data');
process.stdin.destroy();
const connectionId = setting('CONNECTION_ID');
const results = await Promise.all(
  Array.from({ length: 25 }, () => tokens.getAccessToken(TENANT, connectionId)),
);
process.stdout.write(
  `result ${JSON.stringify({ accessTokens: results.map((result) => result.accessToken), stats: tokens.stats })}\n`,
);
await store.close();
await redis?.quit();
