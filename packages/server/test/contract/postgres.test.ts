import { describePrismContract } from '@prism/sdk/contract';
import { afterAll } from 'vitest';
import { openStore } from '../../src/store/open-store.js';
import { createTestDatabase, type TestDatabase } from '../store/test-database.js';
import { type ServedStore, serveWith } from './serve-with.js';

let database: TestDatabase | undefined;
let store: Awaited<ReturnType<typeof openStore>> | undefined;
let served: ServedStore | undefined;
afterAll(async () => {
  await served?.close();
  await store?.close();
  await database?.drop();
});

describePrismContract('a running server on PostgreSQL', async () => {
  database = await createTestDatabase();
  store = await openStore({ databaseUrl: database.url });
  served = await serveWith(store);
  return served.client;
});
