import type { AuditEvent, AuditLog, Page, TableQuery } from '@prism/sdk';
import { listPage } from './page-query.js';
import type { SqlClient } from './sql-client.js';

/**
 * An {@link AuditLog} in the `audit_events` table, numbered per tenant by the events' own
 * `sequence`. Appends of one tenant are serialised by a transaction-scoped advisory lock on the
 * tenant, so they chain correctly even from several processes sharing the database.
 */
export class SqlAuditLog implements AuditLog {
  readonly #client: SqlClient;

  /** Keeps events through `client`, whose database has the store's migrations applied. */
  constructor(client: SqlClient) {
    this.#client = client;
  }

  async append(
    tenantId: string,
    build: (previous: AuditEvent | undefined) => AuditEvent,
  ): Promise<AuditEvent> {
    return this.#client.transaction(async (transaction) => {
      await transaction.query(
        `SELECT pg_advisory_xact_lock(hashtext('prism.audit_events'), hashtext($1))`,
        [tenantId],
      );
      const { rows } = await transaction.query<{ data: AuditEvent }>(
        `SELECT data FROM audit_events WHERE tenant_id = $1 ORDER BY sequence DESC LIMIT 1`,
        [tenantId],
      );
      const event = build(rows[0]?.data);
      await transaction.query(
        'INSERT INTO audit_events (tenant_id, sequence, data) VALUES ($1, $2, $3::jsonb)',
        [tenantId, event.sequence, JSON.stringify(event)],
      );
      return structuredClone(event);
    });
  }

  async list(tenantId: string, query: TableQuery<AuditEvent>): Promise<Page<AuditEvent>> {
    return listPage(
      this.#client,
      { table: 'audit_events', position: 'sequence' },
      tenantId,
      query,
      'oldest',
    );
  }
}
