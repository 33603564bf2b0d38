import { openStore } from '../../src/store/open-store.js';
import { createTestDatabase } from '../store/test-database.js';
import { describeSharePointStores } from './stores-suite.js';

describeSharePointStores('PostgreSQL', async () => {
  const database = await createTestDatabase();
  const store = await openStore({ databaseUrl: database.url, poolSize: 4 });
  return {
    store,
    close: async () => {
      await store.close();
      await database.drop();
    },
  };
});
