import type { Page } from '../client/pagination.js';
import { MemoryResultCache } from '../engine/cache.js';
import { PrismError } from '../errors.js';
import type { AuditEvent, Connection, Document, Review, Watch } from '../schema/index.js';
import type {
  ApiKeyRow,
  ApiKeyTable,
  AuditLog,
  ContentStore,
  FindingRow,
  FrameworkRow,
  ReviewCheckpointRow,
  Store,
  Table,
  TableQuery,
  TenantRow,
  TokenUsageRow,
  WebhookDeliveryRow,
  WebhookDeliveryTable,
  WebhookEndpointRow,
} from './store.js';

/**
 * A {@link Store} in memory: the default of `Prism.local()`. Nothing survives the process;
 * pass a database-backed store to keep records.
 */
export class MemoryStore implements Store {
  readonly documents: Table<Document> = new MemoryTable();
  readonly contents: ContentStore = new MemoryContents();
  readonly reviews: Table<Review> = new MemoryTable();
  readonly reviewCheckpoints: Table<ReviewCheckpointRow> = new MemoryTable();
  readonly findings: Table<FindingRow> = new MemoryTable();
  readonly frameworks: Table<FrameworkRow> = new MemoryTable();
  readonly webhookEndpoints: Table<WebhookEndpointRow> = new MemoryTable();
  readonly webhookDeliveries: WebhookDeliveryTable = new MemoryDeliveryTable();
  readonly connections: Table<Connection> = new MemoryTable();
  readonly watches: Table<Watch> = new MemoryTable();
  readonly tokenUsage: Table<TokenUsageRow> = new MemoryTable();
  readonly apiKeys: ApiKeyTable = new MemoryApiKeyTable();
  readonly audit: AuditLog = new MemoryAuditLog();
  readonly reviewCache = new MemoryResultCache();

  async close(): Promise<void> {}
}

interface Slot<T> {
  sequence: number;
  row: T;
}

/** A table in a map, rows numbered in insertion order (the number is the cursor). */
class MemoryTable<T extends TenantRow> implements Table<T> {
  readonly #rows = new Map<string, Slot<T>>();
  #sequence = 0;

  async insert(row: T): Promise<void> {
    if (this.#rows.has(row.id)) {
      throw new PrismError('store_conflict', `A row with id ${row.id} already exists.`);
    }
    this.#sequence += 1;
    this.#rows.set(row.id, { sequence: this.#sequence, row: structuredClone(row) });
  }

  async get(tenantId: string, id: string): Promise<T | undefined> {
    const slot = this.#slot(tenantId, id);
    return slot && structuredClone(slot.row);
  }

  async update(tenantId: string, id: string, change: (current: T) => T): Promise<T | undefined> {
    const slot = this.#slot(tenantId, id);
    if (!slot) return undefined;
    const next = change(structuredClone(slot.row));
    slot.row = structuredClone({ ...next, id: slot.row.id, tenantId: slot.row.tenantId });
    return structuredClone(slot.row);
  }

  async delete(tenantId: string, id: string): Promise<boolean> {
    if (!this.#slot(tenantId, id)) return false;
    return this.#rows.delete(id);
  }

  async deleteWhere(tenantId: string, where: TableQuery<T>['where']): Promise<number> {
    let count = 0;
    for (const [id, slot] of this.#rows) {
      if (slot.row.tenantId === tenantId && matches(slot.row, where)) {
        this.#rows.delete(id);
        count += 1;
      }
    }
    return count;
  }

  async list(tenantId: string, query: TableQuery<T>): Promise<Page<T>> {
    return pageOf([...this.#rows.values()], tenantId, query, 'newest');
  }

  /** A copy of the first row of any tenant that `predicate` accepts. */
  findAny(predicate: (row: T) => boolean): T | undefined {
    return this.findAll(predicate, 1)[0];
  }

  /** Copies of up to `limit` rows of any tenant that `predicate` accepts, oldest first. */
  findAll(predicate: (row: T) => boolean, limit: number): T[] {
    const found: T[] = [];
    for (const { row } of this.#rows.values()) {
      if (found.length >= limit) break;
      if (predicate(row)) found.push(structuredClone(row));
    }
    return found;
  }

  #slot(tenantId: string, id: string): Slot<T> | undefined {
    const slot = this.#rows.get(id);
    return slot?.row.tenantId === tenantId ? slot : undefined;
  }
}

class MemoryApiKeyTable extends MemoryTable<ApiKeyRow> implements ApiKeyTable {
  async findBySecretHash(secretHash: string): Promise<ApiKeyRow | undefined> {
    return this.findAny((row) => row.secretHash === secretHash);
  }
}

class MemoryDeliveryTable extends MemoryTable<WebhookDeliveryRow> implements WebhookDeliveryTable {
  async listDue(now: string, limit: number): Promise<WebhookDeliveryRow[]> {
    return this.findAll(
      (row) =>
        (row.status === 'pending' || row.status === 'failed') &&
        row.nextAttemptAt !== null &&
        row.nextAttemptAt <= now,
      limit,
    );
  }
}

class MemoryContents implements ContentStore {
  readonly #bytes = new Map<string, Uint8Array>();

  async put(tenantId: string, documentId: string, bytes: Uint8Array): Promise<void> {
    this.#bytes.set(`${tenantId}/${documentId}`, bytes.slice());
  }

  async get(tenantId: string, documentId: string): Promise<Uint8Array | undefined> {
    return this.#bytes.get(`${tenantId}/${documentId}`)?.slice();
  }

  async delete(tenantId: string, documentId: string): Promise<void> {
    this.#bytes.delete(`${tenantId}/${documentId}`);
  }
}

class MemoryAuditLog implements AuditLog {
  readonly #events: Slot<AuditEvent>[] = [];
  readonly #last = new Map<string, AuditEvent>();

  async append(
    tenantId: string,
    build: (previous: AuditEvent | undefined) => AuditEvent,
  ): Promise<AuditEvent> {
    const event = build(this.#last.get(tenantId));
    this.#events.push({ sequence: this.#events.length + 1, row: structuredClone(event) });
    this.#last.set(tenantId, structuredClone(event));
    return structuredClone(event);
  }

  async list(tenantId: string, query: TableQuery<AuditEvent>): Promise<Page<AuditEvent>> {
    return pageOf(this.#events, tenantId, query, 'oldest');
  }
}

function matches<T>(row: T, where: TableQuery<T>['where']): boolean {
  if (!where) return true;
  return Object.entries(where).every(
    ([field, value]) => value === undefined || row[field as keyof T] === value,
  );
}

function pageOf<T extends { tenantId: string }>(
  slots: readonly Slot<T>[],
  tenantId: string,
  query: TableQuery<T>,
  defaultOrder: 'newest' | 'oldest',
): Page<T> {
  const newest = (query.order ?? defaultOrder) === 'newest';
  const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
  const rows = slots
    .filter(
      ({ sequence, row }) =>
        row.tenantId === tenantId &&
        matches(row, query.where) &&
        (after === undefined || (newest ? sequence < after : sequence > after)),
    )
    .sort((a, b) => (newest ? b.sequence - a.sequence : a.sequence - b.sequence));
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  const hasMore = rows.length > page.length;
  return {
    data: page.map(({ row }) => structuredClone(row)),
    hasMore,
    nextCursor: hasMore && last ? encodeCursor(last.sequence) : null,
  };
}

function encodeCursor(sequence: number): string {
  return `c${sequence.toString(36)}`;
}

function decodeCursor(cursor: string): number {
  const sequence = /^c[0-9a-z]+$/.test(cursor) ? Number.parseInt(cursor.slice(1), 36) : Number.NaN;
  if (!Number.isSafeInteger(sequence)) {
    throw new PrismError('invalid_cursor', `"${cursor}" is not a cursor of this list.`, {
      hint: 'Pass the `nextCursor` of the previous page unchanged, or leave `cursor` out to start over.',
    });
  }
  return sequence;
}
