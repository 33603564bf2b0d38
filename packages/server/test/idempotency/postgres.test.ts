import { afterAll, beforeAll } from 'vitest';
import { SqlIdempotencyStore } from '../../src/idempotency/sql-idempotency-store.js';
import { migrate } from '../../src/store/migrate.js';
import { openPostgresClient } from '../../src/store/postgres-client.js';
import type { SqlClient } from '../../src/store/sql-client.js';
import { createTestDatabase, type TestDatabase } from '../store/test-database.js';
import { describeIdempotencyPlugin } from './plugin-suite.js';
import { describeIdempotencyStore } from './store-contract.js';

let database: TestDatabase;
let client: SqlClient;
let store: SqlIdempotencyStore;

beforeAll(async () => {
  database = await createTestDatabase();
  client = openPostgresClient({ connectionString: database.url, poolSize: 8 });
  await migrate(client);
  store = new SqlIdempotencyStore(client);
});
afterAll(async () => {
  await client?.close();
  await database?.drop();
});

describeIdempotencyStore('SqlIdempotencyStore on PostgreSQL', () => store);
describeIdempotencyPlugin('SqlIdempotencyStore on PostgreSQL', () => store);
