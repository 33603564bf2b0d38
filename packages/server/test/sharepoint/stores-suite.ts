import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Vault } from '../../src/connections/vault.js';
import { VaultError } from '../../src/connections/vault-error.js';
import { generateEncryptionKey } from '../../src/connections/vault-keys.js';
import { SqlSeenVersions } from '../../src/sharepoint/sql-seen-versions.js';
import { SqlWatchStore } from '../../src/sharepoint/sql-watch-store.js';
import type { SqlStore } from '../../src/store/sql-store.js';
import {
  clearTables,
  insertReview,
  type SuiteStore,
  sampleWatch,
  versionKey,
  watchedMetadata,
} from './store-fixtures.js';

/** The SharePoint watch and seen-version stores on the database `open` gives. */
export function describeSharePointStores(name: string, open: () => Promise<SuiteStore>): void {
  describe(`SharePoint stores on ${name}`, { timeout: 30_000 }, () => {
    let suite: SuiteStore;
    let store: SqlStore;
    let watches: SqlWatchStore;
    const seenOf = (watchId: string) => new SqlSeenVersions(store.client, watchId);
    const vault = new Vault(generateEncryptionKey('k1'));

    beforeAll(async () => {
      suite = await open();
      store = suite.store;
      watches = new SqlWatchStore(store.client, vault);
    }, 60_000);
    beforeEach(async () => {
      await clearTables(store.client);
    });
    afterAll(async () => {
      await suite?.close();
    });

    describe('SqlWatchStore', () => {
      it('gives back a stored watch as it was, by id and by subscription', async () => {
        const watch = sampleWatch();
        await watches.insert(watch);

        expect(await watches.get(watch.id)).toEqual(watch);
        expect(await watches.bySubscriptionId(watch.subscriptionId)).toEqual(watch);
        expect(await watches.get('wat_other')).toBeUndefined();
        expect(
          await watches.bySubscriptionId('4e3a0c8b-0000-4000-8000-000000000000'),
        ).toBeUndefined();
      });

      it('keeps a watch of the whole library without folder, results folder, framework or model', async () => {
        const { folderPath, framework, model, ...whole } = sampleWatch({ fileTypes: [] });
        await watches.insert({ ...whole, resultsFolder: 'Prism reviews' });

        expect(await watches.get(whole.id)).toEqual({ ...whole, resultsFolder: 'Prism reviews' });
      });

      it('keeps the subscription secret encrypted, bound to its watch', async () => {
        const watch = sampleWatch();
        await watches.insert(watch);
        await watches.insert(
          sampleWatch({
            id: 'wat_policies',
            subscriptionId: 'b7d2a4f0-1111-4000-8000-000000000000',
          }),
        );

        const { rows } = await store.client.query<{ client_state_ciphertext: Uint8Array }>(
          `SELECT client_state_ciphertext FROM sharepoint_watches WHERE watch_id = $1`,
          [watch.id],
        );
        const ciphertext = Buffer.from(rows[0]?.client_state_ciphertext ?? []);
        expect(ciphertext.length).toBeGreaterThan(watch.clientState.length);
        expect(ciphertext.includes(Buffer.from(watch.clientState))).toBe(false);

        // Moved to another watch's row, the secret no longer decrypts.
        await store.client.query(
          `UPDATE sharepoint_watches SET client_state_ciphertext = $1 WHERE watch_id = 'wat_policies'`,
          [ciphertext],
        );
        const failure = await watches.get('wat_policies').catch((error: unknown) => error);
        expect(failure).toBeInstanceOf(VaultError);
        expect(failure).toMatchObject({ code: 'vault_decrypt_failed' });
      });

      it('refuses a second watch with the same id or subscription', async () => {
        await watches.insert(sampleWatch());

        await expect(
          watches.insert(sampleWatch({ subscriptionId: 'another' })),
        ).rejects.toMatchObject({
          code: 'store_conflict',
        });
        await expect(watches.insert(sampleWatch({ id: 'wat_other' }))).rejects.toMatchObject({
          code: 'store_conflict',
        });
      });

      it('lists the watches expiring before a time, soonest first', async () => {
        await watches.insert(
          sampleWatch({
            id: 'wat_late',
            subscriptionId: 's-late',
            expirationDateTime: '2026-04-20T00:00:00.000Z',
          }),
        );
        await watches.insert(
          sampleWatch({
            id: 'wat_soon',
            subscriptionId: 's-soon',
            expirationDateTime: '2026-04-02T00:00:00.000Z',
          }),
        );
        await watches.insert(
          sampleWatch({
            id: 'wat_sooner',
            subscriptionId: 's-sooner',
            expirationDateTime: '2026-04-01T12:00:00.000Z',
          }),
        );

        const due = await watches.expiringBefore(new Date('2026-04-03T00:00:00.000Z'));

        expect(due.map((watch) => watch.id)).toEqual(['wat_sooner', 'wat_soon']);
      });

      it('saves where a watch is up to, and its renewed or recreated subscription', async () => {
        const watch = sampleWatch();
        await watches.insert(watch);

        await watches.saveDeltaLink(watch.id, `${watch.deltaLink}-next`);
        await watches.saveSubscription(watch.id, {
          subscriptionId: 'c0ffee00-2222-4000-8000-000000000000',
          clientState: 'a-new-secret-for-the-recreated-subscription',
          expirationDateTime: '2026-04-29T10:00:00.000Z',
        });

        expect(await watches.get(watch.id)).toEqual({
          ...watch,
          deltaLink: `${watch.deltaLink}-next`,
          subscriptionId: 'c0ffee00-2222-4000-8000-000000000000',
          clientState: 'a-new-secret-for-the-recreated-subscription',
          expirationDateTime: '2026-04-29T10:00:00.000Z',
        });
        expect(await watches.bySubscriptionId(watch.subscriptionId)).toBeUndefined();
      });

      it('gives each watch due a sweep to one claimer only', async () => {
        const now = new Date();
        for (const id of ['wat_a', 'wat_b', 'wat_c']) {
          await watches.insert(sampleWatch({ id, subscriptionId: `s-${id}` }));
        }
        await store.client.query(`UPDATE sharepoint_watches SET swept_at = $1`, [
          new Date(now.getTime() - 3_600_000),
        ]);
        const before = new Date(now.getTime() - 60_000);

        const claims = await Promise.all([
          watches.claimSweep(before, now, 2),
          watches.claimSweep(before, now, 2),
        ]);

        expect(claims.flat().sort()).toEqual(['wat_a', 'wat_b', 'wat_c']);
        expect(await watches.claimSweep(before, now, 10)).toEqual([]);
      });

      it('forgets a watch with what it has seen and its write-backs', async () => {
        const watch = sampleWatch();
        await watches.insert(watch);
        await insertReview(store.client, {
          id: 'rev_1',
          tenantId: watch.tenantId,
          status: 'succeeded',
          metadata: watchedMetadata(watch.id, '01ITEM1'),
          completedAt: new Date().toISOString(),
        });
        await seenOf(watch.id).add(versionKey('01ITEM1'));
        await store.client.query(
          `INSERT INTO sharepoint_write_backs (review_id, tenant_id, watch_id) VALUES ('rev_1', $1, $2)`,
          [watch.tenantId, watch.id],
        );

        expect(await watches.delete(watch.id)).toBe(true);

        expect(await watches.get(watch.id)).toBeUndefined();
        expect(await seenOf(watch.id).has(versionKey('01ITEM1'))).toBe(false);
        const { rows } = await store.client.query('SELECT * FROM sharepoint_write_backs');
        expect(rows).toEqual([]);
        expect(await watches.delete(watch.id)).toBe(false);
      });
    });

    describe('SqlSeenVersions', () => {
      it('records a version once per watch', async () => {
        const watch = sampleWatch();
        await watches.insert(watch);
        const seen = seenOf(watch.id);
        const key = versionKey('01ITEM1');
        expect(await seen.has(key)).toBe(false);

        await seen.add(key);
        await seen.add(key);

        expect(await seen.has(key)).toBe(true);
        expect(await seen.has(versionKey('01ITEM1', '2'))).toBe(false);
        const { rows } = await store.client.query(
          'SELECT watch_id, version_key FROM sharepoint_seen_versions',
        );
        expect(rows).toEqual([{ watch_id: watch.id, version_key: key }]);
      });

      it("keeps each watch's versions apart, and forgets them with their watch", async () => {
        const contracts = sampleWatch();
        const archive = sampleWatch({
          id: 'wat_archive',
          tenantId: 'ten_records',
          subscriptionId: 's-archive',
        });
        await watches.insert(contracts);
        await watches.insert(archive);
        const key = versionKey('01ITEM1');

        await seenOf(contracts.id).add(key);
        expect(await seenOf(contracts.id).has(key)).toBe(true);
        // Another watch of the same drive (another tenant's) still reviews the file.
        expect(await seenOf(archive.id).has(key)).toBe(false);

        await seenOf(archive.id).add(key);
        await watches.delete(contracts.id);
        expect(await seenOf(contracts.id).has(key)).toBe(false);
        expect(await seenOf(archive.id).has(key)).toBe(true);
      });

      it('gives a version to one claim, which holds it until it is done', async () => {
        await watches.insert(sampleWatch());
        const seen = seenOf('wat_contracts');
        const key = versionKey('01ITEM1');

        expect(await seen.claim(key)).toBe(true);
        expect(await seen.claim(key)).toBe(false);
        expect(await seenOf('wat_contracts').claim(key)).toBe(false);
        // Claimed is not done: the next run finds it new, and its claim is refused.
        expect(await seen.has(key)).toBe(false);

        await seen.add(key);
        expect(await seen.has(key)).toBe(true);
        expect(await seen.claim(key)).toBe(false);
        const { rows } = await store.client.query(
          'SELECT claimed_until FROM sharepoint_seen_versions WHERE version_key = $1',
          [key],
        );
        expect(rows).toEqual([{ claimed_until: null }]);
      });

      it('claims a version for 10 minutes by default, or for the lease given', async () => {
        await watches.insert(sampleWatch());
        await seenOf('wat_contracts').claim(versionKey('01ITEM1'));
        await new SqlSeenVersions(store.client, 'wat_contracts', { leaseMs: 90_000 }).claim(
          versionKey('01ITEM2'),
        );

        // How long each claim has left, in whole minutes begun (the database's clock).
        const { rows } = await store.client.query<{ version_key: string; minutes: number }>(
          `SELECT version_key, ceil(extract(epoch FROM claimed_until - now()) / 60)::int AS minutes
           FROM sharepoint_seen_versions ORDER BY version_key`,
        );
        expect(rows).toEqual([
          { version_key: versionKey('01ITEM1'), minutes: 10 },
          { version_key: versionKey('01ITEM2'), minutes: 2 },
        ]);
      });

      it('makes a released version claimable again, and leaves a done one done', async () => {
        await watches.insert(sampleWatch());
        const seen = seenOf('wat_contracts');
        const released = versionKey('01ITEM1');
        const done = versionKey('01ITEM2');
        await seen.claim(released);
        await seen.add(done);

        await seen.release(released);
        await seen.release(done);

        expect(await seen.has(released)).toBe(false);
        expect(await seen.claim(released)).toBe(true);
        expect(await seen.has(done)).toBe(true);
        expect(await seen.claim(done)).toBe(false);
      });

      it('lets a claim whose lease ran out be taken over, never a done version', async () => {
        await watches.insert(sampleWatch());
        const seen = seenOf('wat_contracts');
        const abandoned = versionKey('01ITEM1');
        const done = versionKey('01ITEM2');
        await seen.claim(abandoned);
        await seen.add(done);
        // The instance that claimed it died: its lease has run out.
        await store.client.query(
          `UPDATE sharepoint_seen_versions SET claimed_until = now() - interval '1 minute'
           WHERE version_key = $1`,
          [abandoned],
        );

        expect(await seen.has(abandoned)).toBe(false);
        expect(await seen.claim(abandoned)).toBe(true);
        expect(await seen.claim(abandoned)).toBe(false);
        expect(await seen.claim(done)).toBe(false);
        const { rows } = await store.client.query<{ live: boolean }>(
          'SELECT claimed_until > now() AS live FROM sharepoint_seen_versions WHERE version_key = $1',
          [abandoned],
        );
        expect(rows).toEqual([{ live: true }]);
      });

      it('gives a version to one of many claims made at once', async () => {
        await watches.insert(sampleWatch());
        const key = versionKey('01ITEM1');

        const claims = await Promise.all(
          Array.from({ length: 6 }, () => seenOf('wat_contracts').claim(key)),
        );

        expect(claims.filter(Boolean)).toHaveLength(1);
      });
    });
  });
}
