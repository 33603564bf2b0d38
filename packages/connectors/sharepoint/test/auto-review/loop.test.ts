import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import {
  type AutoReviewer,
  readReviewMetadata,
  type WriteBackOutcome,
} from '../../src/auto-review/index.js';
import { getFile } from '../../src/source/get-file.js';
import { CONTRACTS_ID, DRIVE_ID, SHAREPOINT } from './fake-drive.js';
import {
  notifyChange,
  PUBLIC_BASE_URL,
  sampleDocx,
  storedWatch,
  useAutoReview,
} from './harness.js';

const harness = useAutoReview();
const NAME = 'Cold chain excursion.docx';
const COPY = 'Cold chain excursion (Prism review).docx';

describe('the auto-review loop', () => {
  it('reviews an uploaded file, writes the result back, and does not review its own write-back', async () => {
    const { drive, prism, reviewer, client, deliveries } = harness();
    const writeBacks: Promise<WriteBackOutcome>[] = [];
    deliveries.on(({ event }) => {
      if (event.type === 'review.completed') {
        const watchId = readReviewMetadata(event.data.review.metadata)?.watchId ?? '';
        writeBacks.push(writeBackWhenFinished(reviewer, watchId, event.data.review.id));
      }
    });
    const startLink = (await storedWatch(harness())).deltaLink;

    const itemId = drive.addFile(NAME, sampleDocx());
    await notifyChange(harness());
    await reviewer.idle();

    const [document] = (await prism.documents.list()).data;
    expect(document).toMatchObject({
      filename: NAME,
      metadata: {
        sourceKind: 'sharepoint',
        sourceRef: `${DRIVE_ID}/${itemId}`,
        sourceUrl: `${SHAREPOINT}/sites/Legal/Shared%20Documents/Contracts/Cold%20chain%20excursion.docx`,
        connectionId: 'con_contoso',
        watchId: 'wat_contracts',
      },
    });
    const [review] = (await prism.reviews.list()).data;
    expect(review?.metadata).toEqual({
      watchId: 'wat_contracts',
      driveId: DRIVE_ID,
      itemId,
      versionKey: expect.stringMatching(new RegExp(`^${itemId}:"c:\\{.+\\},1"$`)),
    });
    expect((await storedWatch(harness())).deltaLink).not.toBe(startLink);

    const completed = await deliveries.waitFor(({ event }) => event.type === 'review.completed');
    expect(completed.headers['webhook-signature']).toMatch(/^v1,/);
    expect(completed.event).toMatchObject({
      type: 'review.completed',
      data: { review: { id: review?.id, status: 'succeeded' } },
    });
    const before = await getFile(client, { driveId: DRIVE_ID, itemId });
    const [outcome] = await Promise.all(writeBacks);
    const finished = await prism.reviews.get(review?.id ?? '');
    expect(outcome).toMatchObject({ status: 'written', itemId, copy: { name: COPY } });
    expect(drive.library.fields.get(itemId)).toMatchObject({
      PrismStatus: 'succeeded',
      PrismScore: finished.summary?.score,
      PrismRisk: finished.summary?.riskLevel,
      PrismCritical: finished.summary?.counts.critical,
      PrismMajor: finished.summary?.counts.major,
      PrismReview: `${PUBLIC_BASE_URL}/reviews/${finished.id}`,
      PrismError: null,
    });
    const copy = drive.library.file(CONTRACTS_ID, COPY);
    expect(
      Buffer.from(copy?.bytes ?? [])
        .subarray(0, 2)
        .toString(),
    ).toBe('PK');

    // The write-back changed the item's fields (a new eTag, the same cTag) and added a file.
    const after = await getFile(client, { driveId: DRIVE_ID, itemId });
    expect(after.eTag).not.toBe(before.eTag);
    expect(after.cTag).toBe(before.cTag);
    await notifyChange(harness());
    await reviewer.idle();

    expect((await prism.reviews.list()).data).toHaveLength(1);
    expect((await prism.documents.list()).data).toHaveLength(1);
    expect(reviewer.stats()).toMatchObject({
      notifications: 2,
      runs: 2,
      reviewsStarted: 1,
      skipped: { reviewed_copy: 1, already_reviewed: 1 },
    });
  });

  it('writes a review back twice with the same result', async () => {
    const { drive, reviewer } = harness();
    const itemId = drive.addFile(NAME, sampleDocx());
    const run = await reviewer.processWatch('wat_contracts');
    const reviewId = run.started[0]?.reviewId ?? '';

    const first = await writeBackWhenFinished(reviewer, 'wat_contracts', reviewId);
    const fields = { ...drive.library.fields.get(itemId) };
    const second = await reviewer.writeBack('wat_contracts', reviewId);

    expect(second).toEqual(first);
    expect(drive.library.fields.get(itemId)).toEqual(fields);
    const copies = [...drive.library.items.values()].filter((item) => item.name === COPY);
    expect(copies).toHaveLength(1);
    expect(copies[0]?.version).toBe(2);
  });
});

/**
 * Writes a review of a watch back once it has finished, as the server does on
 * `review.completed`: the event is recorded before the review's end is, so the first attempt may
 * find it still running.
 */
async function writeBackWhenFinished(
  reviewer: AutoReviewer,
  watchId: string,
  reviewId: string,
): Promise<WriteBackOutcome> {
  for (;;) {
    const outcome = await reviewer.writeBack(watchId, reviewId);
    if (outcome.status !== 'retry_later' || outcome.reason !== 'review_unfinished') return outcome;
    await sleep(5);
  }
}
