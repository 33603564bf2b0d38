import type { Client } from '@microsoft/microsoft-graph-client';
import { NotFoundError, type PrismApi, type Review } from '@prism/sdk';
import { GraphFailure } from '../graph/graph-errors.js';
import { type ReviewFieldValues, writeReviewFields } from '../sink/review-fields.js';
import { type UploadedCopy, uploadReviewedCopy } from '../sink/upload-reviewed-copy.js';
import { getFile } from '../source/get-file.js';
import type { SharePointFile } from '../source/sharepoint-file.js';
import { contentVersionKey } from '../watch/versions.js';
import { readReviewMetadata, type WatchedReviewMetadata } from './review-metadata.js';
import type { SharePointWatch } from './sharepoint-watch.js';
import type { WatchStore } from './watch-store.js';

/** What {@link writeBack} did with a review. */
export type WriteBackOutcome =
  | {
      /** The Prism columns show the review; a succeeded review of a .docx has its copy uploaded. */
      status: 'written';
      reviewId: string;
      /** The reviewed file's item id. */
      itemId: string;
      /** The column values written. */
      fields: ReviewFieldValues;
      /** The reviewed copy uploaded, or null (a failed review, or an original that is no .docx). */
      copy: UploadedCopy | null;
    }
  | {
      /** Nothing could be written yet: call again later. */
      status: 'retry_later';
      reviewId: string;
      /** `item_locked`: the file is checked out or open for exclusive editing; `review_unfinished`: still queued or running. */
      reason: 'item_locked' | 'review_unfinished';
      /** How long Graph asked to wait, when it said. */
      retryAfterMs: number | null;
      /** The reason in a sentence. */
      message: string;
    }
  | {
      /** There is nothing to write, and never will be. */
      status: 'skipped';
      reviewId: string;
      /**
       * `not_from_a_watch`: the review was not started by this watch (another watch started it,
       * or no watch did, or the watch's tenant has no such review); `watch_not_found`: the watch
       * was deleted; `item_not_found`: the file was deleted or moved away; `superseded`: the
       * file's content changed since, and the new version has its own review.
       */
      reason: 'not_from_a_watch' | 'watch_not_found' | 'item_not_found' | 'superseded';
    };

/** What {@link writeBack} needs. */
export interface WriteBackDeps {
  /** The Prism API of the watch's tenant, where the review and its .docx export are read. */
  prismFor: (watch: SharePointWatch) => PrismApi;
  /** Where the watch is read. */
  store: WatchStore;
  /** The Graph client of a watch's connection. */
  graphFor: (watch: SharePointWatch) => Client | Promise<Client>;
  /** The public address of the Prism server, for the review link. */
  publicBaseUrl: string;
}

/**
 * Writes a finished review that the watch `watchId` started back into the watch's library. The
 * watch is read first, then the review in the watch's tenant (`prismFor`); a review the watch did
 * not start is skipped. Written are the Prism columns (status, score, risk, counts, the link
 * `<publicBaseUrl>/reviews/<id>`) and, for a succeeded review of a .docx, the reviewed copy with
 * the findings as Word comments, into the watch's results folder or next to the original. Doing it twice is harmless: the same values are written, the copy is
 * replaced. A review of content that has changed since is not written (its successor's will be).
 *
 * @throws the Graph and Prism failures other than a locked or missing file.
 */
export async function writeBack(
  deps: WriteBackDeps,
  watchId: string,
  reviewId: string,
): Promise<WriteBackOutcome> {
  const watch = await deps.store.get(watchId);
  if (watch === undefined) return { status: 'skipped', reviewId, reason: 'watch_not_found' };
  const prism = deps.prismFor(watch);
  const review = await reviewOfTenant(prism, reviewId);
  const meta = review === undefined ? undefined : readReviewMetadata(review.metadata);
  if (review === undefined || meta === undefined || meta.watchId !== watch.id) {
    return { status: 'skipped', reviewId, reason: 'not_from_a_watch' };
  }
  if (review.status === 'queued' || review.status === 'running') {
    return {
      status: 'retry_later',
      reviewId,
      reason: 'review_unfinished',
      retryAfterMs: null,
      message: `Review ${reviewId} is ${review.status}; write it back once it has finished.`,
    };
  }
  const client = await deps.graphFor(watch);
  try {
    const file = await getFile(client, { driveId: meta.driveId, itemId: meta.itemId });
    if (
      contentVersionKey({ itemId: file.itemId, cTag: file.cTag ?? undefined }) !== meta.versionKey
    ) {
      return { status: 'skipped', reviewId, reason: 'superseded' };
    }
    const fields = await writeReviewFields(client, meta, {
      status: review.status,
      summary: review.summary,
      error: review.error,
      url: reviewUrl(deps.publicBaseUrl, review.id),
    });
    const copy =
      review.status === 'succeeded' && isDocx(file.name)
        ? await uploadCopy(prism, client, watch, meta, file, review)
        : null;
    return { status: 'written', reviewId, itemId: meta.itemId, fields, copy };
  } catch (error) {
    if (error instanceof GraphFailure && error.code === 'item_locked') {
      return {
        status: 'retry_later',
        reviewId,
        reason: 'item_locked',
        retryAfterMs: error.retryAfterMs,
        message: error.message,
      };
    }
    if (error instanceof GraphFailure && error.code === 'item_not_found') {
      return { status: 'skipped', reviewId, reason: 'item_not_found' };
    }
    throw error;
  }
}

/** The review, or `undefined` when the tenant has none with this id. */
async function reviewOfTenant(prism: PrismApi, reviewId: string): Promise<Review | undefined> {
  try {
    return await prism.reviews.get(reviewId);
  } catch (error) {
    if (error instanceof NotFoundError) return undefined;
    throw error;
  }
}

/** The review's page in Prism. */
export function reviewUrl(publicBaseUrl: string, reviewId: string): string {
  return `${publicBaseUrl.replace(/\/+$/, '')}/reviews/${encodeURIComponent(reviewId)}`;
}

async function uploadCopy(
  prism: PrismApi,
  client: Client,
  watch: SharePointWatch,
  meta: WatchedReviewMetadata,
  file: SharePointFile,
  review: Review,
): Promise<UploadedCopy> {
  const exported = await prism.exports.get(review.id, 'docx');
  const target =
    watch.resultsFolder === undefined
      ? { parentItemId: file.parentId ?? 'root' }
      : { folderPath: watch.resultsFolder };
  return uploadReviewedCopy(client, {
    ...target,
    driveId: meta.driveId,
    name: file.name,
    bytes: exported.body,
  });
}

function isDocx(name: string): boolean {
  return name.toLowerCase().endsWith('.docx');
}
