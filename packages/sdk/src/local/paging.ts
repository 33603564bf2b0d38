import { type Page, PagePromise } from '../client/pagination.js';
import { asProblem, type Operation, problem } from './problems.js';
import type { Table, TableQuery, TenantRow } from './store.js';
import { pageLimit } from './validate.js';

/** Every row of a table matching `where`, read page by page. */
export async function allRows<T extends TenantRow>(
  table: Table<T>,
  tenantId: string,
  where: TableQuery<T>['where'],
  order: 'newest' | 'oldest' = 'oldest',
): Promise<T[]> {
  const rows: T[] = [];
  let cursor: string | undefined;
  do {
    const page = await table.list(tenantId, {
      where,
      order,
      limit: 100,
      ...(cursor === undefined ? {} : { cursor }),
    });
    rows.push(...page.data);
    cursor = page.nextCursor ?? undefined;
  } while (cursor !== undefined);
  return rows;
}

/** One page of a list computed in memory; the cursor is the offset of the next item. */
export function pageOfArray<T>(
  operation: Operation,
  items: readonly T[],
  limit: number,
  cursor: string | undefined,
): Page<T> {
  const start = cursor === undefined ? 0 : offsetOf(operation, cursor);
  const data = items.slice(start, start + limit);
  const hasMore = start + limit < items.length;
  return { data, hasMore, nextCursor: hasMore ? `o${(start + limit).toString(36)}` : null };
}

function offsetOf(operation: Operation, cursor: string): number {
  const offset = /^o[0-9a-z]+$/.test(cursor) ? Number.parseInt(cursor.slice(1), 36) : Number.NaN;
  if (Number.isSafeInteger(offset)) return offset;
  throw problem(
    operation,
    400,
    'invalid_cursor',
    `"${cursor}" is not a cursor of this list.`,
    'Pass the `nextCursor` of the previous page unchanged, or leave `cursor` out to start over.',
  );
}

/**
 * A list call over a table: pages of the rows matching `where`, each mapped to what the API
 * returns, starting at `params.cursor`; `before` runs ahead of each page (e.g. to check that
 * the parent resource exists).
 */
export function tablePages<T extends TenantRow, R>(
  operation: Operation,
  table: Pick<Table<T>, 'list'>,
  tenantId: string,
  params: { limit?: number | undefined; cursor?: string | undefined },
  query: {
    where?: TableQuery<T>['where'];
    order?: 'newest' | 'oldest';
    before?: () => Promise<void>;
  },
  map: (row: T) => R,
): PagePromise<R> {
  const { before, ...tableQuery } = query;
  return new PagePromise(async (cursor) => {
    const limit = pageLimit(operation, params.limit);
    await before?.();
    try {
      const page = await table.list(tenantId, {
        ...tableQuery,
        limit,
        ...(cursor === undefined ? {} : { cursor }),
      });
      return { ...page, data: page.data.map(map) };
    } catch (error) {
      throw asProblem(operation, error);
    }
  }, params.cursor);
}

/** A list call over items computed in memory by `load`, paged by offset. */
export function arrayPages<T>(
  operation: Operation,
  params: { limit?: number | undefined; cursor?: string | undefined },
  load: () => Promise<readonly T[]>,
): PagePromise<T> {
  return new PagePromise(async (cursor) => {
    const limit = pageLimit(operation, params.limit);
    return pageOfArray(operation, await load(), limit, cursor);
  }, params.cursor);
}
