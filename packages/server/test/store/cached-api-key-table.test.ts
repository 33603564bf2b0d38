import { type ApiKeyRow, type ApiKeyTable, MemoryStore } from '@prism/sdk';
import { describe, expect, it } from 'vitest';
import { CachedApiKeyTable } from '../../src/store/cached-api-key-table.js';

const HASH = 'a'.repeat(64);

function key(overrides: Partial<ApiKeyRow> = {}): ApiKeyRow {
  return {
    id: 'key_1',
    tenantId: 'tenant_a',
    name: 'ci',
    prefix: 'prism_sk_abcd',
    role: 'analyst',
    createdAt: '2026-11-01T00:00:00.000Z',
    lastUsedAt: null,
    revokedAt: null,
    secretHash: HASH,
    ...overrides,
  };
}

/** The memory store's API-key table, counting the lookups that reach it. */
function countingTable(): { table: ApiKeyTable; lookups: () => number } {
  const table = new MemoryStore().apiKeys;
  let lookups = 0;
  const findBySecretHash = table.findBySecretHash.bind(table);
  table.findBySecretHash = (hash) => {
    lookups += 1;
    return findBySecretHash(hash);
  };
  return { table, lookups: () => lookups };
}

describe('CachedApiKeyTable', () => {
  it('looks a secret up once, then answers from memory', async () => {
    const { table, lookups } = countingTable();
    const cached = new CachedApiKeyTable(table);
    await cached.insert(key());
    for (let i = 0; i < 5; i += 1) {
      expect(await cached.findBySecretHash(HASH)).toMatchObject({ id: 'key_1' });
    }
    expect(await cached.findBySecretHash('f'.repeat(64))).toBeUndefined();
    expect(await cached.findBySecretHash('f'.repeat(64))).toBeUndefined();
    expect(lookups()).toBe(2);
  });

  it('sees a revocation at the next lookup', async () => {
    const cached = new CachedApiKeyTable(countingTable().table);
    await cached.insert(key());
    expect((await cached.findBySecretHash(HASH))?.revokedAt).toBeNull();
    await cached.update('tenant_a', 'key_1', (row) => ({
      ...row,
      revokedAt: '2026-11-02T00:00:00.000Z',
    }));
    expect((await cached.findBySecretHash(HASH))?.revokedAt).toBe('2026-11-02T00:00:00.000Z');
  });

  it('finds a key created after a lookup found none, and forgets a deleted one', async () => {
    const cached = new CachedApiKeyTable(countingTable().table);
    expect(await cached.findBySecretHash(HASH)).toBeUndefined();
    await cached.insert(key());
    expect(await cached.findBySecretHash(HASH)).toMatchObject({ id: 'key_1' });
    await cached.delete('tenant_a', 'key_1');
    expect(await cached.findBySecretHash(HASH)).toBeUndefined();
  });

  it('does not remember an answer read before a write that ended meanwhile', async () => {
    const { table } = countingTable();
    const cached = new CachedApiKeyTable(table);
    await cached.insert(key());
    // The first lookup reads the key, then its answer is held back until the revocation is done.
    const read = table.findBySecretHash.bind(table);
    let releaseRead = () => {};
    table.findBySecretHash = async (hash) => {
      const row = await read(hash);
      await new Promise<void>((resolve) => {
        releaseRead = resolve;
      });
      return row;
    };
    const staleLookup = cached.findBySecretHash(HASH);
    await cached.update('tenant_a', 'key_1', (row) => ({
      ...row,
      revokedAt: '2026-11-02T00:00:00.000Z',
    }));
    releaseRead();
    expect((await staleLookup)?.revokedAt).toBeNull();
    table.findBySecretHash = read;
    expect((await cached.findBySecretHash(HASH))?.revokedAt).toBe('2026-11-02T00:00:00.000Z');
  });

  it('hands out copies, so a caller cannot change what it remembers', async () => {
    const cached = new CachedApiKeyTable(countingTable().table);
    await cached.insert(key());
    const found = (await cached.findBySecretHash(HASH)) as ApiKeyRow;
    found.role = 'admin';
    expect((await cached.findBySecretHash(HASH))?.role).toBe('analyst');
  });
});
