import { PrismError, type ReviewProvider } from '@prism/sdk';
import { describe, expect, it } from 'vitest';
import type { WriteBackOutcome } from '../../src/auto-review/index.js';
import { graphError } from '../sink/fake-library.js';
import { CONTRACTS_ID, ROOT_ID } from './fake-drive.js';
import {
  type AutoReviewHarness,
  PUBLIC_BASE_URL,
  sampleDocx,
  sampleMarkdown,
  storedWatch,
  useAutoReview,
} from './harness.js';

/** Reviews without findings, and fails on a document that says `MODEL-DOWN`. */
const provider: ReviewProvider = {
  id: 'test-provider',
  reviewSection: async (section) => {
    if (`${section.heading} ${section.text}`.includes('MODEL-DOWN')) {
      throw new PrismError('model_unavailable', 'The model did not answer.');
    }
    return { findings: [] };
  },
  reviewDocument: async () => ({ findings: [] }),
};
const harness = useAutoReview({ model: provider });

/** Adds a file, runs the watch, and waits for the review to end; gives the item and review ids. */
async function reviewed(
  current: AutoReviewHarness,
  name: string,
  bytes: Uint8Array,
): Promise<{ itemId: string; reviewId: string }> {
  const itemId = current.drive.addFile(name, bytes);
  const run = await current.reviewer.processWatch('wat_contracts');
  const reviewId = run.started.find((review) => review.itemId === itemId)?.reviewId ?? '';
  for (;;) {
    const { status } = await current.prism.reviews.get(reviewId);
    if (status !== 'queued' && status !== 'running') return { itemId, reviewId };
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

function copies(current: AutoReviewHarness) {
  return [...current.drive.library.items.values()].filter((item) =>
    item.name.endsWith('(Prism review).docx'),
  );
}

describe('AutoReviewer.writeBack', () => {
  it('puts the reviewed copy into the watch’s results folder, creating it', async () => {
    const current = harness();
    current.store.put({ ...(await storedWatch(current)), resultsFolder: 'Prism reviews/2024' });
    const { reviewId } = await reviewed(current, 'Lease.docx', sampleDocx());

    const outcome = await current.reviewer.writeBack(current.watch.id, reviewId);

    const folder = current.drive.library.file(ROOT_ID, 'Prism reviews');
    const year = current.drive.library.file(folder?.id ?? '', '2024');
    expect(outcome).toMatchObject({
      status: 'written',
      copy: { name: 'Lease (Prism review).docx' },
    });
    expect(current.drive.library.file(year?.id ?? '', 'Lease (Prism review).docx')).toBeDefined();
    expect(current.drive.library.file(CONTRACTS_ID, 'Lease (Prism review).docx')).toBeUndefined();
  });

  it('writes the columns of a review of a non-Word file without a copy', async () => {
    const current = harness();
    const { itemId, reviewId } = await reviewed(current, 'Supply agreement.md', sampleMarkdown(1));

    const outcome = await current.reviewer.writeBack(current.watch.id, reviewId);

    expect(outcome).toMatchObject({ status: 'written', copy: null });
    expect(current.drive.library.fields.get(itemId)).toMatchObject({
      PrismStatus: 'succeeded',
      PrismReview: `${PUBLIC_BASE_URL}/reviews/${reviewId}`,
    });
    expect(copies(current)).toHaveLength(0);
  });

  it('writes a failed review’s status and reason, without a copy', async () => {
    const current = harness();
    const bytes = new TextEncoder().encode('# Lease\n\nThe term runs for five years. MODEL-DOWN\n');
    const { itemId, reviewId } = await reviewed(current, 'Lease.md', bytes);

    const outcome = await current.reviewer.writeBack(current.watch.id, reviewId);

    expect(outcome).toMatchObject({ status: 'written', copy: null });
    expect(current.drive.library.fields.get(itemId)).toMatchObject({
      PrismStatus: 'failed',
      PrismScore: null,
      PrismError: 'The model did not answer.',
    });
  });

  it('answers retry_later while the file is locked, and writes once it is not', async () => {
    const current = harness();
    const { itemId, reviewId } = await reviewed(current, 'Lease.docx', sampleDocx());
    current.drive.library.fail({
      method: 'PATCH',
      url: /\/listItem\/fields$/,
      response: () =>
        graphError(
          423,
          'accessDenied',
          'The file is currently checked out or locked for editing by another user.',
        ),
    });

    const locked = await current.reviewer.writeBack(current.watch.id, reviewId);
    const later = await current.reviewer.writeBack(current.watch.id, reviewId);

    expect(locked).toEqual<WriteBackOutcome>({
      status: 'retry_later',
      reviewId,
      reason: 'item_locked',
      retryAfterMs: null,
      message: expect.stringContaining('locked for editing'),
    });
    expect(later).toMatchObject({ status: 'written', itemId });
    expect(copies(current)).toHaveLength(1);
  });

  it('skips a review whose file changed since, or was deleted, or that no watch started', async () => {
    const current = harness();
    const edited = await reviewed(current, 'Lease.md', sampleMarkdown(1));
    current.drive.editFile(edited.itemId, sampleMarkdown(2));
    const deleted = await reviewed(current, 'Annex.md', sampleMarkdown(3));
    current.drive.deleteFile(deleted.itemId);
    const document = await current.prism.documents.create({
      file: sampleMarkdown(4),
      filename: 'Uploaded.md',
    });
    const direct = await current.prism.reviews.create({ documentId: document.id });

    expect(await current.reviewer.writeBack(current.watch.id, edited.reviewId)).toEqual({
      status: 'skipped',
      reviewId: edited.reviewId,
      reason: 'superseded',
    });
    expect(await current.reviewer.writeBack(current.watch.id, deleted.reviewId)).toMatchObject({
      status: 'skipped',
      reason: 'item_not_found',
    });
    expect(await current.reviewer.writeBack(current.watch.id, direct.id)).toMatchObject({
      status: 'skipped',
      reason: 'not_from_a_watch',
    });
    expect(current.drive.library.seen('PATCH', /\/listItem\/fields$/)).toHaveLength(0);
  });

  it('skips a review written back through another watch of its tenant, or a deleted watch', async () => {
    const current = harness();
    const { itemId, reviewId } = await reviewed(current, 'Lease.md', sampleMarkdown(1));
    current.store.put({
      ...current.watch,
      id: 'wat_annexes',
      folderPath: 'Annexes',
      subscriptionId: '2a4b9c1e-7d3f-4e8a-9b6c-1f2e3d4c5b6a',
    });

    expect(await current.reviewer.writeBack('wat_annexes', reviewId)).toEqual({
      status: 'skipped',
      reviewId,
      reason: 'not_from_a_watch',
    });
    expect(await current.reviewer.writeBack('wat_gone', reviewId)).toEqual({
      status: 'skipped',
      reviewId,
      reason: 'watch_not_found',
    });
    expect(current.drive.library.seen('PATCH', /\/listItem\/fields$/)).toHaveLength(0);
    expect(await current.reviewer.writeBack(current.watch.id, reviewId)).toMatchObject({
      status: 'written',
      itemId,
    });
  });
});
