import { MemoryStore } from '@prism/sdk';
import { describePrismContract } from '@prism/sdk/contract';
import { afterAll } from 'vitest';
import { type ServedStore, serveWith } from './serve-with.js';

let served: ServedStore | undefined;
afterAll(async () => {
  await served?.close();
});

describePrismContract('a running server on the in-memory store', async () => {
  served = await serveWith(new MemoryStore());
  return served.client;
});
