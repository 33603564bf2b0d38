import type { ApiKeyRow, ApiKeyTable } from '@prism/sdk';
import type { SqlClient } from './sql-client.js';
import { SqlTable } from './sql-table.js';

/** The `api_keys` table, which also finds a key by its secret's hash across tenants. */
export class SqlApiKeyTable extends SqlTable<ApiKeyRow> implements ApiKeyTable {
  readonly #client: SqlClient;

  constructor(client: SqlClient) {
    super(client, 'api_keys');
    this.#client = client;
  }

  async findBySecretHash(secretHash: string): Promise<ApiKeyRow | undefined> {
    const { rows } = await this.#client.query<{ data: ApiKeyRow }>(
      'SELECT data FROM api_keys WHERE data @> $1::jsonb LIMIT 1',
      [JSON.stringify({ secretHash })],
    );
    return rows[0]?.data;
  }
}
