import type { Client } from '@microsoft/microsoft-graph-client';
import type { PrismApi, ReviewCreate } from '@prism/sdk';
import { downloadFile } from '../source/download-file.js';
import type { NewVersion, SeenVersions } from '../watch/versions.js';
import { documentMetadata, reviewMetadata } from './review-metadata.js';
import type { SharePointWatch } from './sharepoint-watch.js';
import { type SkippedFile, skipForFailure } from './skipped-file.js';

/** A review the auto-reviewer started for a new version of a watched file. */
export interface StartedReview {
  /** The file's item id. */
  itemId: string;
  /** Its name. */
  name: string;
  /** The content version reviewed. */
  versionKey: string;
  /** The Prism document made from it. */
  documentId: string;
  /** The review. */
  reviewId: string;
}

/** What {@link startReview} needs. */
export interface StartReviewDeps {
  /** The Prism API of the watch's tenant, where the document is uploaded and reviewed. */
  prismFor: (watch: SharePointWatch) => PrismApi;
  /** Where a watch's versions are claimed before their review, and recorded once it is enqueued. */
  seenFor: (watch: SharePointWatch) => SeenVersions;
  /** The largest file downloaded, in bytes. */
  maxFileBytes: number;
}

/** What {@link startReview} ends with. */
type StartReviewOutcome =
  | { kind: 'started'; review: StartedReview }
  | { kind: 'skipped'; skipped: SkippedFile };

/**
 * Claims a new version of a watched file (see `SeenVersions.claim`), downloads it, uploads it as
 * a document (its source in the metadata) to the watch's tenant of Prism, starts its review there
 * with the metadata that lets the result be written back, and only then records the version as
 * done. A version another instance has claimed is skipped (`claimed_elsewhere`), so overlapping
 * runs review it once. A file deleted or moved away meanwhile, over the size limit, or that Prism
 * cannot read is skipped; any other failure is thrown. After a skip or a failure the claim is
 * released, so the next run tries the version again; nothing is lost.
 */
export async function startReview(
  deps: StartReviewDeps,
  watch: SharePointWatch,
  client: Client,
  version: NewVersion,
): Promise<StartReviewOutcome> {
  const { change, versionKey } = version;
  const seen = deps.seenFor(watch);
  if (!(await seen.claim(versionKey))) {
    return {
      kind: 'skipped',
      skipped: { itemId: change.itemId, name: change.name, reason: 'claimed_elsewhere' },
    };
  }
  let outcome: StartReviewOutcome;
  try {
    outcome = await reviewClaimed(deps, watch, client, version);
  } catch (error) {
    await releaseClaim(seen, versionKey);
    throw error;
  }
  if (outcome.kind === 'skipped') await releaseClaim(seen, versionKey);
  else await seen.add(versionKey);
  return outcome;
}

/** Downloads, uploads and starts the review of a version this run has claimed. */
async function reviewClaimed(
  deps: StartReviewDeps,
  watch: SharePointWatch,
  client: Client,
  version: NewVersion,
): Promise<StartReviewOutcome> {
  const { change, versionKey } = version;
  const prism = deps.prismFor(watch);
  let documentId: string;
  try {
    const bytes = await downloadFile(
      client,
      { driveId: watch.driveId, itemId: change.itemId, name: change.name, size: change.size ?? 0 },
      { maxBytes: deps.maxFileBytes },
    );
    const document = await prism.documents.create({
      file: bytes,
      filename: change.name,
      metadata: documentMetadata(watch, change),
    });
    documentId = document.id;
  } catch (error) {
    const skipped = skipForFailure(error, change);
    if (skipped === undefined) throw error;
    return { kind: 'skipped', skipped };
  }
  const params: ReviewCreate = {
    documentId,
    metadata: reviewMetadata({
      watchId: watch.id,
      driveId: watch.driveId,
      itemId: change.itemId,
      versionKey,
    }),
  };
  if (watch.framework !== undefined) params.framework = watch.framework;
  if (watch.model !== undefined) params.model = watch.model;
  const review = await prism.reviews.create(params);
  return {
    kind: 'started',
    review: {
      itemId: change.itemId,
      name: change.name,
      versionKey,
      documentId,
      reviewId: review.id,
    },
  };
}

/**
 * Releases a claim after a skip or a failure. A release that fails (the store unreachable) is
 * let go: the claim then lapses with its lease, and the failure that matters is the first one.
 */
async function releaseClaim(seen: SeenVersions, versionKey: string): Promise<void> {
  try {
    await seen.release(versionKey);
  } catch {
    // The claim lapses with its lease; see above.
  }
}
