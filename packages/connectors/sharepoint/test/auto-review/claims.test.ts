import { describe, expect, it } from 'vitest';
import { AutoReviewer } from '../../src/auto-review/index.js';
import { MemorySeenVersions } from '../../src/watch/versions.js';
import {
  type AutoReviewHarness,
  NOTIFICATION_URL,
  PUBLIC_BASE_URL,
  sampleMarkdown,
  storedWatch,
  useAutoReview,
} from './harness.js';

const harness = useAutoReview();

/**
 * The versions of a watch that another instance runs too: right after this instance finds a
 * version of `contestedItem` new, the other instance claims it.
 */
class ContestedSeenVersions extends MemorySeenVersions {
  contestedItem: string | undefined;
  /** The version the other instance claimed. */
  claimedByOther: string | undefined;

  override has(key: string): boolean {
    const done = super.has(key);
    if (this.contestedItem !== undefined && key.startsWith(`${this.contestedItem}:`)) {
      this.contestedItem = undefined;
      this.claimedByOther = key;
      this.claim(key);
    }
    return done;
  }
}

/** This instance's auto-reviewer of the harness's watch, its versions shared with another. */
function instanceSharing(seen: ContestedSeenVersions, { prism, client, store }: AutoReviewHarness) {
  return new AutoReviewer({
    prismFor: () => prism,
    graphFor: () => client,
    store,
    seenFor: () => seen,
    publicBaseUrl: PUBLIC_BASE_URL,
    notificationUrl: NOTIFICATION_URL,
  });
}

function downloads({ drive }: AutoReviewHarness): number {
  return drive.calls.filter((call) => call.url.includes('/content')).length;
}

describe('AutoReviewer and versions claimed by another instance', () => {
  it('skips a version claimed elsewhere, counts it, and keeps its position before it', async () => {
    const { drive, prism } = harness();
    const seen = new ContestedSeenVersions();
    const reviewer = instanceSharing(seen, harness());
    const itemId = drive.addFile('Supply agreement.md', sampleMarkdown(1));
    seen.contestedItem = itemId;
    const startLink = (await storedWatch(harness())).deltaLink;

    const run = await reviewer.processWatch('wat_contracts');

    expect(run.started).toEqual([]);
    expect(run.skipped).toEqual([
      { itemId, name: 'Supply agreement.md', reason: 'claimed_elsewhere' },
    ]);
    expect(reviewer.stats().skipped).toMatchObject({ claimed_elsewhere: 1, already_reviewed: 0 });
    expect(downloads(harness())).toBe(0);
    expect((await prism.documents.list()).data).toEqual([]);
    expect(run.deltaLink).toBe(startLink);
    expect((await storedWatch(harness())).deltaLink).toBe(startLink);
  });

  it('reviews the version at its next run when the other instance failed and released it', async () => {
    const { drive, prism } = harness();
    const seen = new ContestedSeenVersions();
    const reviewer = instanceSharing(seen, harness());
    const itemId = drive.addFile('Supply agreement.md', sampleMarkdown(1));
    seen.contestedItem = itemId;
    await reviewer.processWatch('wat_contracts');

    seen.release(seen.claimedByOther ?? '');
    const run = await reviewer.processWatch('wat_contracts');

    expect(run.started.map((review) => review.itemId)).toEqual([itemId]);
    expect((await prism.reviews.list()).data).toHaveLength(1);
    expect((await storedWatch(harness())).deltaLink).toBe(run.deltaLink);
  });

  it('moves on once the other instance has started the review', async () => {
    const { drive, prism } = harness();
    const seen = new ContestedSeenVersions();
    const reviewer = instanceSharing(seen, harness());
    const itemId = drive.addFile('Supply agreement.md', sampleMarkdown(1));
    seen.contestedItem = itemId;
    const startLink = (await storedWatch(harness())).deltaLink;
    await reviewer.processWatch('wat_contracts');

    seen.add(seen.claimedByOther ?? '');
    const run = await reviewer.processWatch('wat_contracts');

    expect(run.started).toEqual([]);
    expect(run.skipped).toEqual([
      { itemId, name: 'Supply agreement.md', reason: 'already_reviewed' },
    ]);
    expect(run.deltaLink).not.toBe(startLink);
    expect((await storedWatch(harness())).deltaLink).toBe(run.deltaLink);
    expect((await prism.documents.list()).data).toEqual([]);
  });
});

describe('AutoReviewer releasing its claims', () => {
  it('releases a version whose review could not be created, so the next run reviews it', async () => {
    const { drive, prism, reviewer, store, watch } = harness();
    store.put({ ...watch, framework: 'no-such-framework' });
    const itemId = drive.addFile('Supply agreement.md', sampleMarkdown(1));

    await expect(reviewer.processWatch('wat_contracts')).rejects.toMatchObject({
      code: 'unknown_framework',
    });
    expect((await prism.reviews.list()).data).toEqual([]);

    store.put({ ...(await storedWatch(harness())), framework: 'hawkeye-20' });
    const run = await reviewer.processWatch('wat_contracts');

    expect(run.started.map((review) => review.itemId)).toEqual([itemId]);
    expect(run.skipped).toEqual([]);
    expect((await prism.reviews.list()).data).toHaveLength(1);
  });

  it('releases a version it skipped, so reading it again tries it again', async () => {
    const { drive, reviewer, store } = harness();
    const startLink = (await storedWatch(harness())).deltaLink;
    const itemId = drive.addFile('Broken.docx', new TextEncoder().encode('not a zip at all'));
    const first = await reviewer.processWatch('wat_contracts');

    await store.saveDeltaLink('wat_contracts', startLink);
    const again = await reviewer.processWatch('wat_contracts');

    for (const run of [first, again]) {
      expect(run.skipped).toEqual([
        expect.objectContaining({ itemId, reason: 'document_rejected' }),
      ]);
    }
    expect(reviewer.stats().skipped).toMatchObject({ document_rejected: 2, claimed_elsewhere: 0 });
  });
});
