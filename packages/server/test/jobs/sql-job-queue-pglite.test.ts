import { openStore } from '../../src/store/open-store.js';
import { describeSqlJobQueue } from './sql-job-queue-suite.js';

describeSqlJobQueue('PGlite (in memory)', async () => {
  const store = await openStore();
  return { store, close: () => store.close() };
});
