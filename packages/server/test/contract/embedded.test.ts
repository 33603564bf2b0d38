import { describePrismContract } from '@prism/sdk/contract';
import { afterAll, vi } from 'vitest';
import { openStore } from '../../src/store/open-store.js';
import { type ServedStore, serveWith } from './serve-with.js';

// Creating an embedded database takes several seconds.
vi.setConfig({ hookTimeout: 60_000 });

let served: ServedStore | undefined;
let store: Awaited<ReturnType<typeof openStore>> | undefined;
afterAll(async () => {
  await served?.close();
  await store?.close();
});

describePrismContract('a running server on the embedded database (PGlite)', async () => {
  store = await openStore();
  served = await serveWith(store);
  return served.client;
});
