import { type AuditEvent, chainAuditEvent, verifyAuditChain } from '@prism/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../../src/store/migrate.js';
import { openPostgresClient } from '../../src/store/postgres-client.js';
import { SqlStore } from '../../src/store/sql-store.js';
import { createTestDatabase, type TestDatabase } from './test-database.js';

describe('audit appends from two processes sharing PostgreSQL', () => {
  let database: TestDatabase;
  let stores: SqlStore[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    const first = openPostgresClient({ connectionString: database.url, poolSize: 5 });
    const second = openPostgresClient({ connectionString: database.url, poolSize: 5 });
    await migrate(first);
    stores = [new SqlStore(first), new SqlStore(second)];
  });

  afterAll(async () => {
    await Promise.all(stores.map((store) => store.close()));
    await database?.drop();
  });

  it('numbers one tenant’s events 1..N in one valid chain', async () => {
    const tenant = 't_shared';
    const appends = Array.from({ length: 40 }, (_, index) =>
      stores[index % stores.length]?.audit.append(tenant, (previous) =>
        chainAuditEvent(tenant, `aud_${index}`, previous, {
          actor: { type: 'user', id: `u${index % 2}`, name: null },
          action: 'document.created',
          target: { type: 'document', id: `doc_${index}` },
          at: '2026-11-01T00:00:00.000Z',
          details: { server: index % 2 },
        }),
      ),
    );
    await Promise.all(appends);
    const [reader] = stores;
    const events: AuditEvent[] = (await reader?.audit.list(tenant, { limit: 100 }))?.data ?? [];
    expect(events.map((event) => event.sequence)).toEqual(
      Array.from({ length: 40 }, (_, index) => index + 1),
    );
    expect(verifyAuditChain(events)).toBeUndefined();
  });
});
