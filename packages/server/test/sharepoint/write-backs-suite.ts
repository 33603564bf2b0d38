import type { WriteBackOutcome } from '@prism/connector-sharepoint';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { Vault } from '../../src/connections/vault.js';
import { generateEncryptionKey } from '../../src/connections/vault-keys.js';
import { SqlWatchStore } from '../../src/sharepoint/sql-watch-store.js';
import {
  SharePointWriteBacks,
  type SharePointWriteBacksOptions,
} from '../../src/sharepoint/write-backs.js';
import type { SqlStore } from '../../src/store/sql-store.js';
import {
  clearTables,
  insertReview,
  type ReviewRow,
  type SuiteStore,
  sampleWatch,
  watchedMetadata,
} from './store-fixtures.js';

/** A row of `sharepoint_write_backs`, as the tests read it. */
interface WriteBackRow {
  review_id: string;
  watch_id: string;
  done: boolean;
  outcome: string | null;
  attempts: number;
  last_error: string | null;
  wait_ms: number;
}

/** A clock the test moves. */
class TestClock {
  at = new Date('2026-03-02T12:00:00.000Z');
  readonly now = (): Date => new Date(this.at);
  advance(ms: number): void {
    this.at = new Date(this.at.getTime() + ms);
  }
}

const WATCH = sampleWatch();
const MINUTE = 60_000;

/** The durable write-backs on the database `open` gives. */
export function describeWriteBacks(name: string, open: () => Promise<SuiteStore>): void {
  describe(`SharePoint write-backs on ${name}`, { timeout: 30_000 }, () => {
    let suite: SuiteStore;
    let store: SqlStore;
    let clock: TestClock;
    let calls: string[];

    beforeAll(async () => {
      suite = await open();
      store = suite.store;
    }, 60_000);
    beforeEach(async () => {
      await clearTables(store.client);
      await new SqlWatchStore(store.client, new Vault(generateEncryptionKey('k1'))).insert(WATCH);
      clock = new TestClock();
      calls = [];
    });
    afterAll(async () => {
      await suite?.close();
    });

    const writeBacks = (
      answer: (reviewId: string) => Promise<WriteBackOutcome> = async (reviewId) =>
        written(reviewId),
      options: Partial<SharePointWriteBacksOptions> = {},
    ) =>
      new SharePointWriteBacks({
        client: store.client,
        writeBack: (watchId, reviewId) => {
          calls.push(`${watchId}/${reviewId}`);
          return answer(reviewId);
        },
        clock: clock.now,
        ...options,
        settings: {
          baseDelayMs: MINUTE,
          maxDelayMs: 8 * MINUTE,
          maxAttempts: 4,
          ...options.settings,
        },
      });
    const review = (id: string, extra: Partial<ReviewRow> = {}) =>
      insertReview(store.client, {
        id,
        tenantId: WATCH.tenantId,
        status: 'succeeded',
        metadata: watchedMetadata(WATCH.id, `01${id.toUpperCase()}`),
        completedAt: clock.now().toISOString(),
        ...extra,
      });
    const rows = async () =>
      (
        await store.client.query<WriteBackRow>(
          `SELECT review_id, watch_id, done_at IS NOT NULL AS done, outcome, attempts, last_error,
             round(extract(epoch FROM (next_attempt_at - $1::timestamptz)) * 1000)::int AS wait_ms
           FROM sharepoint_write_backs ORDER BY review_id`,
          [clock.now()],
        )
      ).rows;

    it('writes back each finished review of a watched file once, and only those', async () => {
      await review('rev_done');
      await review('rev_failed', { status: 'failed' });
      await review('rev_running', { status: 'running', completedAt: null });
      await review('rev_canceled', { status: 'canceled' });
      await review('rev_unwatched', { metadata: {} });
      await review('rev_foreign', { tenantId: 'ten_other' });
      await review('rev_deleted_watch', { metadata: watchedMetadata('wat_deleted', '01X') });
      const queue = writeBacks();

      expect(await queue.runOnce()).toEqual({
        discovered: 2,
        written: 2,
        skipped: 0,
        retrying: 0,
        abandoned: 0,
      });
      expect(await queue.runOnce()).toMatchObject({ discovered: 0, written: 0 });

      expect(calls.sort()).toEqual([`${WATCH.id}/rev_done`, `${WATCH.id}/rev_failed`]);
      expect(await rows()).toEqual([
        expect.objectContaining({
          review_id: 'rev_done',
          done: true,
          outcome: 'written',
          attempts: 1,
        }),
        expect.objectContaining({
          review_id: 'rev_failed',
          done: true,
          outcome: 'written',
          attempts: 1,
        }),
      ]);
    });

    it('writes back a review once it finishes', async () => {
      await review('rev_1', { status: 'running', completedAt: null });
      const queue = writeBacks();
      await queue.runOnce();
      expect(calls).toEqual([]);

      clock.advance(MINUTE);
      await store.client.query(
        `UPDATE reviews SET data = data || jsonb_build_object('status', 'succeeded', 'completedAt', $1::text)`,
        [clock.now().toISOString()],
      );
      const pass = await queue.runOnce();

      expect(pass).toMatchObject({ discovered: 1, written: 1 });
      expect(calls).toEqual([`${WATCH.id}/rev_1`]);
    });

    it('settles a review with nothing to write as skipped, with why', async () => {
      await review('rev_1');
      const queue = writeBacks(async (reviewId) => ({
        status: 'skipped',
        reviewId,
        reason: 'superseded',
      }));

      expect(await queue.runOnce()).toMatchObject({ skipped: 1 });
      expect(await rows()).toEqual([
        expect.objectContaining({ done: true, outcome: 'skipped:superseded', last_error: null }),
      ]);
    });

    it('tries a locked file again when Graph said, and writes it then', async () => {
      await review('rev_1');
      let locked = true;
      const queue = writeBacks(async (reviewId) =>
        locked
          ? {
              status: 'retry_later',
              reviewId,
              reason: 'item_locked',
              retryAfterMs: 90_000,
              message: 'Writing the review failed: Microsoft Graph answered 423 resourceLocked.',
            }
          : written(reviewId),
      );

      expect(await queue.runOnce()).toMatchObject({ retrying: 1 });
      expect(await rows()).toEqual([
        expect.objectContaining({
          done: false,
          attempts: 1,
          wait_ms: 90_000,
          last_error: 'Writing the review failed: Microsoft Graph answered 423 resourceLocked.',
        }),
      ]);
      clock.advance(89_000);
      expect(await queue.runOnce()).toMatchObject({ retrying: 0, written: 0 });

      locked = false;
      clock.advance(1_000);
      expect(await queue.runOnce()).toMatchObject({ written: 1 });
      expect(await rows()).toEqual([
        expect.objectContaining({ done: true, outcome: 'written', attempts: 2, last_error: null }),
      ]);
    });

    it('backs off after each failure, and gives up after the last attempt with its error', async () => {
      await review('rev_1');
      const failures: unknown[] = [];
      const queue = writeBacks(
        async () => {
          throw new Error('Microsoft Graph could not be reached (ECONNRESET).');
        },
        { onFailure: (error) => failures.push(error) },
      );

      const waits: number[] = [];
      for (let attempt = 1; attempt < 4; attempt += 1) {
        expect(await queue.runOnce()).toMatchObject({ retrying: 1 });
        const [row] = await rows();
        waits.push(row?.wait_ms ?? 0);
        clock.advance(row?.wait_ms ?? 0);
      }
      expect(waits).toEqual([MINUTE, 2 * MINUTE, 4 * MINUTE]);

      expect(await queue.runOnce()).toMatchObject({ abandoned: 1 });
      expect(await rows()).toEqual([
        expect.objectContaining({
          done: true,
          outcome: 'abandoned',
          attempts: 4,
          last_error: 'Microsoft Graph could not be reached (ECONNRESET).',
        }),
      ]);
      expect(failures).toHaveLength(4);
      clock.advance(60 * MINUTE);
      expect(await queue.runOnce()).toMatchObject({ written: 0, retrying: 0, abandoned: 0 });
      expect(calls).toHaveLength(4);
    });

    it('takes again a write-back whose instance stopped before settling it, once its lease lapses', async () => {
      await review('rev_1');
      let release = () => {};
      const stuck = writeBacks(
        (reviewId) =>
          new Promise((resolve) => {
            release = () => resolve(written(reviewId));
          }),
        { settings: { leaseMs: 5 * MINUTE } },
      );
      const stuckPass = stuck.runOnce();
      await vi.waitFor(() => expect(calls).toHaveLength(1));
      const other = writeBacks();

      expect(await other.runOnce()).toMatchObject({ written: 0 });
      clock.advance(5 * MINUTE);
      expect(await other.runOnce()).toMatchObject({ written: 1 });

      release();
      await stuckPass;
      expect(calls).toEqual([`${WATCH.id}/rev_1`, `${WATCH.id}/rev_1`]);
      expect(await rows()).toEqual([expect.objectContaining({ done: true, attempts: 2 })]);
    });

    it('finds reviews completed long ago on its first pass and every full discovery', async () => {
      await review('rev_old', {
        completedAt: new Date(clock.now().getTime() - 86_400_000).toISOString(),
      });
      const queue = writeBacks(undefined, {
        settings: { recentMs: 10 * MINUTE, fullDiscoveryMs: 30 * MINUTE },
      });
      expect(await queue.runOnce()).toMatchObject({ discovered: 1, written: 1 });

      await review('rev_older', {
        completedAt: new Date(clock.now().getTime() - 2 * 86_400_000).toISOString(),
      });
      clock.advance(MINUTE);
      expect(await queue.runOnce()).toMatchObject({ discovered: 0 });
      clock.advance(30 * MINUTE);
      expect(await queue.runOnce()).toMatchObject({ discovered: 1, written: 1 });
    });
  });
}

function written(reviewId: string): WriteBackOutcome {
  return {
    status: 'written',
    reviewId,
    itemId: '01ITEM',
    fields: {
      PrismStatus: 'succeeded',
      PrismScore: 82,
      PrismRisk: 'medium',
      PrismCritical: 0,
      PrismMajor: 2,
      PrismReview: `https://prism.example.com/reviews/${reviewId}`,
      PrismError: null,
    },
    copy: null,
  };
}
