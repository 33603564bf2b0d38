import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type {
  IdempotencyClaim,
  IdempotencyStore,
  StoredResponse,
} from '../../src/idempotency/idempotency-store.js';

const HOUR_MS = 60 * 60 * 1000;

/** A claim on a fresh key at `at`, expiring an hour later. */
function claimAt(at: string, overrides: Partial<IdempotencyClaim> = {}): IdempotencyClaim {
  const createdAt = new Date(at);
  return {
    tenantId: 'tenant_a',
    key: randomUUID(),
    fingerprint: 'f1',
    createdAt,
    expiresAt: new Date(createdAt.getTime() + HOUR_MS),
    staleBefore: new Date(createdAt.getTime() - 5 * 60 * 1000),
    ...overrides,
  };
}

/** One hour later than `claim`, on the same key. */
function laterClaim(claim: IdempotencyClaim, fingerprint = 'f2'): IdempotencyClaim {
  const createdAt = claim.expiresAt;
  return {
    ...claim,
    fingerprint,
    createdAt,
    expiresAt: new Date(createdAt.getTime() + HOUR_MS),
    staleBefore: new Date(createdAt.getTime() - 5 * 60 * 1000),
  };
}

const ANSWER: StoredResponse = {
  statusCode: 201,
  headers: { 'content-type': 'application/json', location: '/v2/widgets/wid_1' },
  body: new Uint8Array([0, 123, 255, 10]),
};

/** What every {@link IdempotencyStore} does, over the store `store()` gives once it is open. */
export function describeIdempotencyStore(name: string, store: () => IdempotencyStore): void {
  describe(`${name} as an idempotency store`, () => {
    it('gives a key to exactly one of many claims at once', async () => {
      const claim = claimAt('2030-01-01T00:00:00.000Z');
      const outcomes = await Promise.all(
        Array.from({ length: 8 }, (_, index) =>
          store().claim({ ...claim, fingerprint: `f${index}` }),
        ),
      );
      expect(outcomes.filter((outcome) => outcome.claimed)).toHaveLength(1);
      const winner = outcomes.findIndex((outcome) => outcome.claimed);
      for (const outcome of outcomes.filter((each) => !each.claimed)) {
        expect(outcome).toEqual({
          claimed: false,
          record: {
            fingerprint: `f${winner}`,
            createdAt: claim.createdAt,
            expiresAt: claim.expiresAt,
            response: undefined,
          },
        });
      }
    });

    it('keeps an answer, bytes and headers as given, until the key expires', async () => {
      const claim = claimAt('2030-01-01T00:00:00.000Z');
      await store().claim(claim);
      await store().complete(claim, ANSWER);
      const replay = await store().claim({
        ...claim,
        createdAt: new Date(claim.expiresAt.getTime() - 1),
      });
      expect(replay).toEqual({
        claimed: false,
        record: {
          fingerprint: 'f1',
          createdAt: claim.createdAt,
          expiresAt: claim.expiresAt,
          response: ANSWER,
        },
      });
      expect(await store().claim(laterClaim(claim))).toEqual({ claimed: true });
    });

    it('frees a released key, and keeps a key per tenant', async () => {
      const claim = claimAt('2030-01-01T00:00:00.000Z');
      await store().claim(claim);
      expect(await store().claim({ ...claim, tenantId: 'tenant_b' })).toEqual({ claimed: true });
      await store().release(claim);
      expect(await store().claim(claim)).toEqual({ claimed: true });
      expect((await store().claim({ ...claim, tenantId: 'tenant_b' })).claimed).toBe(false);
    });

    it('never lets an expired claim complete or release the claim that replaced it', async () => {
      const stale = claimAt('2030-01-01T00:00:00.000Z');
      await store().claim(stale);
      const current = laterClaim(stale);
      await store().claim(current);
      await store().complete(stale, ANSWER);
      await store().release(stale);
      const seen = await store().claim({
        ...current,
        createdAt: new Date(current.createdAt.getTime() + 1),
      });
      expect(seen).toMatchObject({
        claimed: false,
        record: { fingerprint: 'f2', response: undefined },
      });
    });

    it('hands the key of a request that never answered to a claim after the lock timeout', async () => {
      const abandoned = claimAt('2030-01-01T00:00:00.000Z');
      await store().claim(abandoned);
      const soon = new Date(Date.parse('2030-01-01T00:04:00.000Z'));
      const early = {
        ...abandoned,
        createdAt: soon,
        staleBefore: new Date(soon.getTime() - 300_000),
      };
      expect((await store().claim(early)).claimed).toBe(false);
      const later = new Date(Date.parse('2030-01-01T00:06:00.000Z'));
      const retry = {
        ...abandoned,
        createdAt: later,
        staleBefore: new Date(later.getTime() - 300_000),
      };
      expect(await store().claim(retry)).toEqual({ claimed: true });
      await store().complete(abandoned, ANSWER);
      const seen = await store().claim({ ...retry, createdAt: new Date(later.getTime() + 1) });
      expect(seen).toMatchObject({ claimed: false, record: { response: undefined } });
    });

    it('purges the records expired at a time, and only those', async () => {
      const at = '2031-06-01T00:00:00.000Z';
      const early = claimAt(at);
      const late = claimAt(at, { expiresAt: new Date(Date.parse(at) + 2 * HOUR_MS) });
      await store().claim(early);
      await store().claim(late);
      await store().complete(early, ANSWER);
      expect(await store().purgeExpired(early.expiresAt)).toBeGreaterThanOrEqual(1);
      expect(await store().purgeExpired(early.expiresAt)).toBe(0);
      const probe = { ...late, fingerprint: 'other', createdAt: new Date(early.expiresAt) };
      expect((await store().claim(probe)).claimed).toBe(false);
    });
  });
}
