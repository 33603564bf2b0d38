import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chainAuditEvent, verifyAuditChain } from '../local/audit-chain.js';
import type { Store } from '../local/store.js';
import type { Actor, Document } from '../schema/index.js';

/** Makes the store a contract run uses (empty, or at least without the tenants it makes up). */
export type StoreFactory = () => Store | Promise<Store>;

const ACTOR: Actor = { type: 'user', id: 'u1', name: null };

function documentRow(id: string, tenantId: string, filename = `${id}.md`): Document {
  return {
    id,
    tenantId,
    source: { kind: 'upload', ref: null, url: null, connectionId: null },
    filename,
    mediaType: 'text/markdown',
    sizeBytes: 10,
    sha256: '0'.repeat(64),
    title: null,
    sections: [{ index: 0, heading: 'Summary', level: 1, text: 'Text.', anchors: [] }],
    metadata: {},
    createdAt: '2026-11-01T00:00:00.000Z',
  };
}

/**
 * The behaviour every {@link Store} must share, as a vitest suite: run it against the in-memory
 * store and each database-backed one. Each run makes up its own tenant ids, so runs against a
 * shared database do not see each other's rows.
 */
export function describeStoreContract(label: string, create: StoreFactory): void {
  describe(`Store contract: ${label}`, () => {
    let store: Store;
    const run = Math.random().toString(36).slice(2, 10);
    const tenant = `t_${run}`;
    const otherTenant = `t2_${run}`;
    const id = (name: string) => `${name}_${run}`;

    beforeAll(async () => {
      store = await create();
    });

    afterAll(async () => {
      await store?.close();
    });

    it('inserts, gets copies, and refuses a taken id', async () => {
      const row = documentRow(id('doc_a'), tenant);
      await store.documents.insert(row);
      const read = await store.documents.get(tenant, row.id);
      expect(read).toEqual(row);
      if (read) read.filename = 'changed.md';
      expect((await store.documents.get(tenant, row.id))?.filename).toBe(row.filename);
      await expect(store.documents.insert(row)).rejects.toMatchObject({ code: 'store_conflict' });
    });

    it("keeps tenants apart: another tenant's row is never read, changed or deleted", async () => {
      const row = documentRow(id('doc_b'), tenant);
      await store.documents.insert(row);
      expect(await store.documents.get(otherTenant, row.id)).toBeUndefined();
      expect(
        await store.documents.update(otherTenant, row.id, (current) => current),
      ).toBeUndefined();
      expect(await store.documents.delete(otherTenant, row.id)).toBe(false);
      expect((await store.documents.list(otherTenant, { limit: 100 })).data).toEqual([]);
      expect(await store.documents.get(tenant, row.id)).toEqual(row);
    });

    it('updates a row by a function, keeping its id and tenant', async () => {
      const row = documentRow(id('doc_c'), tenant);
      await store.documents.insert(row);
      const updated = await store.documents.update(tenant, row.id, (current) => ({
        ...current,
        id: 'other',
        tenantId: otherTenant,
        title: 'New title',
      }));
      expect(updated).toMatchObject({ id: row.id, tenantId: tenant, title: 'New title' });
      expect(
        await store.documents.update(tenant, id('doc_missing'), (current) => current),
      ).toBeUndefined();
    });

    it('runs concurrent updates of one row one after the other', async () => {
      const row = documentRow(id('doc_d'), tenant);
      await store.documents.insert({ ...row, sizeBytes: 0 });
      await Promise.all(
        Array.from({ length: 20 }, () =>
          store.documents.update(tenant, row.id, (current) => ({
            ...current,
            sizeBytes: current.sizeBytes + 1,
          })),
        ),
      );
      expect((await store.documents.get(tenant, row.id))?.sizeBytes).toBe(20);
    });

    it('lists newest or oldest first, filtered, a page at a time, with cursors', async () => {
      const listTenant = `list_${run}`;
      for (const name of ['one', 'two', 'three', 'four', 'five']) {
        await store.documents.insert(
          documentRow(id(`doc_${name}`), listTenant, name === 'three' ? 'odd.md' : 'even.md'),
        );
      }
      const first = await store.documents.list(listTenant, { limit: 2 });
      expect(first.data.map((row) => row.id)).toEqual([id('doc_five'), id('doc_four')]);
      expect(first.hasMore).toBe(true);
      const second = await store.documents.list(listTenant, {
        limit: 2,
        cursor: first.nextCursor ?? '',
      });
      expect(second.data.map((row) => row.id)).toEqual([id('doc_three'), id('doc_two')]);
      const last = await store.documents.list(listTenant, {
        limit: 2,
        cursor: second.nextCursor ?? '',
      });
      expect(last).toEqual({
        data: [expect.objectContaining({ id: id('doc_one') })],
        hasMore: false,
        nextCursor: null,
      });
      const oldest = await store.documents.list(listTenant, { limit: 10, order: 'oldest' });
      expect(oldest.data[0]?.id).toBe(id('doc_one'));
      const filtered = await store.documents.list(listTenant, {
        limit: 10,
        where: { filename: 'odd.md' },
      });
      expect(filtered.data.map((row) => row.id)).toEqual([id('doc_three')]);
      await expect(
        store.documents.list(listTenant, { limit: 2, cursor: 'bogus' }),
      ).rejects.toMatchObject({
        code: 'invalid_cursor',
      });
    });

    it('deletes one row, or every row that matches', async () => {
      const deleteTenant = `delete_${run}`;
      await store.documents.insert(documentRow(id('doc_x'), deleteTenant, 'x.md'));
      await store.documents.insert(documentRow(id('doc_y'), deleteTenant, 'y.md'));
      await store.documents.insert(documentRow(id('doc_z'), deleteTenant, 'y.md'));
      expect(await store.documents.delete(deleteTenant, id('doc_x'))).toBe(true);
      expect(await store.documents.delete(deleteTenant, id('doc_x'))).toBe(false);
      expect(await store.documents.deleteWhere(deleteTenant, { filename: 'y.md' })).toBe(2);
      expect((await store.documents.list(deleteTenant, { limit: 10 })).data).toEqual([]);
    });

    it("keeps documents' bytes per tenant", async () => {
      const bytes = new TextEncoder().encode('# Report');
      await store.contents.put(tenant, id('doc_bytes'), bytes);
      expect(await store.contents.get(tenant, id('doc_bytes'))).toEqual(bytes);
      expect(await store.contents.get(otherTenant, id('doc_bytes'))).toBeUndefined();
      await store.contents.delete(tenant, id('doc_bytes'));
      expect(await store.contents.get(tenant, id('doc_bytes'))).toBeUndefined();
    });

    it('appends audit events in one chain per tenant, even when appended at once', async () => {
      const auditTenant = `audit_${run}`;
      await Promise.all(
        Array.from({ length: 10 }, (_, index) =>
          store.audit.append(auditTenant, (previous) =>
            chainAuditEvent(auditTenant, id(`aud_${index}`), previous, {
              actor: ACTOR,
              action: 'document.created',
              target: { type: 'document', id: `doc_${index}` },
              at: '2026-11-01T00:00:00.000Z',
              details: {},
            }),
          ),
        ),
      );
      const events = (await store.audit.list(auditTenant, { limit: 100 })).data;
      expect(events.map((event) => event.sequence)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      expect(verifyAuditChain(events)).toBeUndefined();
      expect((await store.audit.list(otherTenant, { limit: 100 })).data).toEqual([]);
    });

    it('finds an API key by its secret hash, whatever its tenant', async () => {
      const hash = `${run}${'a'.repeat(64)}`.slice(0, 64);
      await store.apiKeys.insert({
        id: id('key'),
        tenantId: otherTenant,
        name: 'ci',
        prefix: 'prism_sk_abcd',
        role: 'analyst',
        createdAt: '2026-11-01T00:00:00.000Z',
        lastUsedAt: null,
        revokedAt: null,
        secretHash: hash,
      });
      expect(await store.apiKeys.findBySecretHash(hash)).toMatchObject({
        id: id('key'),
        tenantId: otherTenant,
      });
      expect(await store.apiKeys.findBySecretHash('f'.repeat(64))).toBeUndefined();
    });

    it('lists deliveries due for a retry across tenants, oldest first', async () => {
      const delivery = (
        name: string,
        tenantId: string,
        status: 'pending' | 'failed' | 'dead' | 'succeeded',
        nextAttemptAt: string | null,
      ) => ({
        id: id(name),
        tenantId,
        endpointId: id('whe'),
        eventId: id('msg'),
        eventType: 'review.completed' as const,
        status,
        attempts: [],
        nextAttemptAt,
        createdAt: '2026-11-01T00:00:00.000Z',
        payload: '{}',
        leaseUntil: null,
        leaseId: null,
      });
      const now = '2031-01-01T00:00:10.000Z';
      await store.webhookDeliveries.insert(
        delivery('whd_due1', tenant, 'failed', '2031-01-01T00:00:05.000Z'),
      );
      await store.webhookDeliveries.insert(delivery('whd_due2', otherTenant, 'pending', now));
      await store.webhookDeliveries.insert(
        delivery('whd_later', tenant, 'failed', '2031-01-01T00:00:11.000Z'),
      );
      await store.webhookDeliveries.insert(delivery('whd_dead', tenant, 'dead', null));
      await store.webhookDeliveries.insert(delivery('whd_done', tenant, 'succeeded', null));
      const due = (await store.webhookDeliveries.listDue(now, 100)).filter((row) =>
        row.id.endsWith(run),
      );
      expect(due.map((row) => row.id)).toEqual([id('whd_due1'), id('whd_due2')]);
      expect(await store.webhookDeliveries.listDue('2031-01-01T00:00:06.000Z', 100)).toContainEqual(
        expect.objectContaining({ id: id('whd_due1') }),
      );
    });

    it('caches review results by key', async () => {
      const key = id('cache');
      expect(await store.reviewCache.get(key)).toBeUndefined();
      await store.reviewCache.set(key, { findings: [] });
      expect(await store.reviewCache.get(key)).toEqual({ findings: [] });
    });
  });
}
