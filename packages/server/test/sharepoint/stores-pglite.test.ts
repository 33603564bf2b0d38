import { openStore } from '../../src/store/open-store.js';
import { describeSharePointStores } from './stores-suite.js';

describeSharePointStores('PGlite (in memory)', async () => {
  const store = await openStore();
  return { store, close: () => store.close() };
});
