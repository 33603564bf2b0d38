import { afterAll, beforeAll, vi } from 'vitest';
import { SqlIdempotencyStore } from '../../src/idempotency/sql-idempotency-store.js';
import { migrate } from '../../src/store/migrate.js';
import { openPgliteClient } from '../../src/store/pglite-client.js';
import type { SqlClient } from '../../src/store/sql-client.js';
import { describeIdempotencyPlugin } from './plugin-suite.js';
import { describeIdempotencyStore } from './store-contract.js';

// Creating an embedded database runs initdb, which takes seconds on a busy machine.
vi.setConfig({ hookTimeout: 60_000 });

let client: SqlClient;
let store: SqlIdempotencyStore;

beforeAll(async () => {
  client = await openPgliteClient();
  await migrate(client);
  store = new SqlIdempotencyStore(client);
});
afterAll(async () => {
  await client?.close();
});

describeIdempotencyStore('SqlIdempotencyStore on PGlite in memory', () => store);
describeIdempotencyPlugin('SqlIdempotencyStore on PGlite in memory', () => store);
