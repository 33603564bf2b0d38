import { openStore } from '../../src/store/open-store.js';
import { describeWriteBacks } from './write-backs-suite.js';

describeWriteBacks('PGlite (in memory)', async () => {
  const store = await openStore();
  return { store, close: () => store.close() };
});
