import { type Page, PrismError, type Table, type TableQuery, type TenantRow } from '@prism/sdk';
import { filterJson, listPage } from './page-query.js';
import type { SqlClient } from './sql-client.js';

/**
 * A {@link Table} in a SQL table of `id`, `tenant_id`, `seq` (insertion order) and `data` (the
 * row as JSONB). Every statement is scoped by tenant; rows come back as fresh copies.
 */
export class SqlTable<T extends TenantRow> implements Table<T> {
  readonly #client: SqlClient;
  readonly #table: string;

  /** `table` is one of the store's own tables (see the migrations), never a caller's text. */
  constructor(client: SqlClient, table: string) {
    this.#client = client;
    this.#table = table;
  }

  async insert(row: T): Promise<void> {
    const { rowCount } = await this.#client.query(
      `INSERT INTO ${this.#table} (id, tenant_id, data) VALUES ($1, $2, $3::jsonb)
       ON CONFLICT (id) DO NOTHING`,
      [row.id, row.tenantId, JSON.stringify(row)],
    );
    if (rowCount === 0) {
      throw new PrismError('store_conflict', `A row with id ${row.id} already exists.`);
    }
  }

  async get(tenantId: string, id: string): Promise<T | undefined> {
    const { rows } = await this.#client.query<{ data: T }>(
      `SELECT data FROM ${this.#table} WHERE id = $1 AND tenant_id = $2`,
      [id, tenantId],
    );
    return rows[0]?.data;
  }

  async update(tenantId: string, id: string, change: (current: T) => T): Promise<T | undefined> {
    return this.#client.transaction(async (transaction) => {
      const { rows } = await transaction.query<{ data: T }>(
        `SELECT data FROM ${this.#table} WHERE id = $1 AND tenant_id = $2 FOR UPDATE`,
        [id, tenantId],
      );
      const current = rows[0]?.data;
      if (current === undefined) return undefined;
      const next: T = { ...change(current), id: current.id, tenantId: current.tenantId };
      const updated = await transaction.query<{ data: T }>(
        `UPDATE ${this.#table} SET data = $3::jsonb WHERE id = $1 AND tenant_id = $2
         RETURNING data`,
        [id, tenantId, JSON.stringify(next)],
      );
      return updated.rows[0]?.data;
    });
  }

  async delete(tenantId: string, id: string): Promise<boolean> {
    const { rowCount } = await this.#client.query(
      `DELETE FROM ${this.#table} WHERE id = $1 AND tenant_id = $2`,
      [id, tenantId],
    );
    return rowCount > 0;
  }

  async deleteWhere(tenantId: string, where: TableQuery<T>['where']): Promise<number> {
    const filter = filterJson(where);
    const { rowCount } =
      filter === undefined
        ? await this.#client.query(`DELETE FROM ${this.#table} WHERE tenant_id = $1`, [tenantId])
        : await this.#client.query(
            `DELETE FROM ${this.#table} WHERE tenant_id = $1 AND data @> $2::jsonb`,
            [tenantId, filter],
          );
    return rowCount;
  }

  async list(tenantId: string, query: TableQuery<T>): Promise<Page<T>> {
    return listPage(
      this.#client,
      { table: this.#table, position: 'seq' },
      tenantId,
      query,
      'newest',
    );
  }
}
