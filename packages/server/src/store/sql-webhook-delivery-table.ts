import type { WebhookDeliveryRow, WebhookDeliveryTable } from '@prism/sdk';
import type { SqlClient } from './sql-client.js';
import { SqlTable } from './sql-table.js';

/** The `webhook_deliveries` table, which also finds the deliveries due for a retry, across tenants. */
export class SqlWebhookDeliveryTable
  extends SqlTable<WebhookDeliveryRow>
  implements WebhookDeliveryTable
{
  readonly #client: SqlClient;

  constructor(client: SqlClient) {
    super(client, 'webhook_deliveries');
    this.#client = client;
  }

  async listDue(now: string, limit: number): Promise<WebhookDeliveryRow[]> {
    // Times are stored as `toISOString()` text (UTC, milliseconds), so text order is time order.
    const { rows } = await this.#client.query<{ data: WebhookDeliveryRow }>(
      `SELECT data FROM webhook_deliveries
       WHERE data->>'status' IN ('pending', 'failed') AND data->>'nextAttemptAt' <= $1
       ORDER BY seq LIMIT $2`,
      [now, limit],
    );
    return rows.map((row) => row.data);
  }
}
