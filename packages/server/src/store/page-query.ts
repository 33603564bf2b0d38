import type { Page, TableQuery } from '@prism/sdk';
import { decodeCursor, encodeCursor } from './cursor.js';
import type { SqlExecutor } from './sql-client.js';

/** Where a list reads from: a table (with `tenant_id` and `data` columns) and the column that numbers its rows. */
export interface PagedSource {
  /** The table's name (one of the store's own, never a caller's text). */
  table: string;
  /** The column of increasing row numbers the list orders and pages by. */
  position: string;
}

/**
 * The JSON object a `where` filter stands for, with `undefined` fields left out, or `undefined`
 * when nothing is left to filter on. Matched by JSONB containment: `data @> filter`.
 */
export function filterJson(where: object | undefined): string | undefined {
  const fields = Object.entries(where ?? {}).filter(([, value]) => value !== undefined);
  return fields.length === 0 ? undefined : JSON.stringify(Object.fromEntries(fields));
}

/**
 * One page of a tenant's rows of `source` that match the query, newest or oldest first by
 * `source.position`; reads one row more than the page to know whether there are more.
 */
export async function listPage<T>(
  executor: SqlExecutor,
  source: PagedSource,
  tenantId: string,
  query: TableQuery<T>,
  defaultOrder: 'newest' | 'oldest',
): Promise<Page<T>> {
  const newest = (query.order ?? defaultOrder) === 'newest';
  const params: unknown[] = [tenantId];
  const conditions = ['tenant_id = $1'];
  const filter = filterJson(query.where);
  if (filter !== undefined) {
    params.push(filter);
    conditions.push(`data @> $${params.length}::jsonb`);
  }
  if (query.cursor !== undefined) {
    params.push(decodeCursor(query.cursor));
    conditions.push(`${source.position} ${newest ? '<' : '>'} $${params.length}`);
  }
  params.push(query.limit + 1);
  const { rows } = await executor.query<{ data: T; position: number | string }>(
    `SELECT data, ${source.position} AS position FROM ${source.table}
     WHERE ${conditions.join(' AND ')}
     ORDER BY ${source.position} ${newest ? 'DESC' : 'ASC'}
     LIMIT $${params.length}`,
    params,
  );
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  const hasMore = rows.length > page.length;
  return {
    data: page.map((row) => row.data),
    hasMore,
    nextCursor: hasMore && last ? encodeCursor(Number(last.position)) : null,
  };
}
