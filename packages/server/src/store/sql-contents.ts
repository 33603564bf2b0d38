import type { ContentStore } from '@prism/sdk';
import type { SqlClient } from './sql-client.js';

/** A {@link ContentStore} in the `contents` table: one `bytea` per tenant and document. */
export class SqlContents implements ContentStore {
  readonly #client: SqlClient;

  /** Stores bytes through `client`, whose database has the store's migrations applied. */
  constructor(client: SqlClient) {
    this.#client = client;
  }

  async put(tenantId: string, documentId: string, bytes: Uint8Array): Promise<void> {
    await this.#client.query(
      `INSERT INTO contents (tenant_id, document_id, bytes) VALUES ($1, $2, $3)
       ON CONFLICT (tenant_id, document_id) DO UPDATE SET bytes = excluded.bytes`,
      [tenantId, documentId, bytes],
    );
  }

  async get(tenantId: string, documentId: string): Promise<Uint8Array | undefined> {
    const { rows } = await this.#client.query<{ bytes: Uint8Array }>(
      'SELECT bytes FROM contents WHERE tenant_id = $1 AND document_id = $2',
      [tenantId, documentId],
    );
    const bytes = rows[0]?.bytes;
    return bytes && new Uint8Array(bytes);
  }

  async delete(tenantId: string, documentId: string): Promise<void> {
    await this.#client.query('DELETE FROM contents WHERE tenant_id = $1 AND document_id = $2', [
      tenantId,
      documentId,
    ]);
  }
}
