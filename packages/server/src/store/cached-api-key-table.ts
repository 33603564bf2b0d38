import type { ApiKeyRow, ApiKeyTable, Page, TableQuery } from '@prism/sdk';

/** Most secret hashes remembered; past it the oldest is forgotten. */
export const API_KEY_CACHE_ENTRIES = 1000;

/**
 * An {@link ApiKeyTable} that remembers what `findBySecretHash` found (a key, or that there is
 * none), so that authenticating a request costs no query. Every write through it forgets
 * everything, so a revoked or changed key is seen by the next request.
 *
 * Only correct when no other process writes the table: the embedded database, which one
 * process holds under its data directory's lock. Servers sharing PostgreSQL do not use it.
 */
export class CachedApiKeyTable implements ApiKeyTable {
  readonly #table: ApiKeyTable;
  readonly #found = new Map<string, ApiKeyRow | undefined>();
  /** Bumped as each write starts and ends: an answer read across a write is not remembered. */
  #writes = 0;

  constructor(table: ApiKeyTable) {
    this.#table = table;
  }

  async findBySecretHash(secretHash: string): Promise<ApiKeyRow | undefined> {
    if (this.#found.has(secretHash)) return copy(this.#found.get(secretHash));
    const generation = this.#writes;
    const row = await this.#table.findBySecretHash(secretHash);
    // A write while the query ran may have changed the answer: keep only answers read after it.
    if (generation === this.#writes) this.#remember(secretHash, row);
    return copy(row);
  }

  async insert(row: ApiKeyRow): Promise<void> {
    await this.#write(() => this.#table.insert(row));
  }

  get(tenantId: string, id: string): Promise<ApiKeyRow | undefined> {
    return this.#table.get(tenantId, id);
  }

  update(
    tenantId: string,
    id: string,
    change: (current: ApiKeyRow) => ApiKeyRow,
  ): Promise<ApiKeyRow | undefined> {
    return this.#write(() => this.#table.update(tenantId, id, change));
  }

  delete(tenantId: string, id: string): Promise<boolean> {
    return this.#write(() => this.#table.delete(tenantId, id));
  }

  deleteWhere(tenantId: string, where: TableQuery<ApiKeyRow>['where']): Promise<number> {
    return this.#write(() => this.#table.deleteWhere(tenantId, where));
  }

  list(tenantId: string, query: TableQuery<ApiKeyRow>): Promise<Page<ApiKeyRow>> {
    return this.#table.list(tenantId, query);
  }

  async #write<T>(work: () => Promise<T>): Promise<T> {
    this.#writes += 1;
    this.#found.clear();
    try {
      return await work();
    } finally {
      this.#writes += 1;
      this.#found.clear();
    }
  }

  #remember(secretHash: string, row: ApiKeyRow | undefined): void {
    if (this.#found.size >= API_KEY_CACHE_ENTRIES) {
      this.#found.delete(this.#found.keys().next().value as string);
    }
    this.#found.set(secretHash, row);
  }
}

/** A copy of `row`, so callers cannot change what is remembered. */
function copy(row: ApiKeyRow | undefined): ApiKeyRow | undefined {
  return row === undefined ? undefined : structuredClone(row);
}
