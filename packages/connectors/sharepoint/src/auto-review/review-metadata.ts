import type { Metadata } from '@prism/sdk';
import { sourceMetadata } from '../source/source-metadata.js';
import type { SharePointWatch } from './sharepoint-watch.js';

/** What the auto-reviewer records on each review it starts, to write the result back. */
export interface WatchedReviewMetadata {
  /** The watch that started the review. */
  watchId: string;
  /** The drive holding the reviewed file. */
  driveId: string;
  /** The reviewed file's item id. */
  itemId: string;
  /** The content version reviewed (see `contentVersionKey`). */
  versionKey: string;
}

/** The review metadata of a watched file's version. */
export function reviewMetadata(meta: WatchedReviewMetadata): Metadata {
  return {
    watchId: meta.watchId,
    driveId: meta.driveId,
    itemId: meta.itemId,
    versionKey: meta.versionKey,
  };
}

/** The watched file a review is of, or `undefined` for a review the auto-reviewer did not start. */
export function readReviewMetadata(metadata: Metadata): WatchedReviewMetadata | undefined {
  const { watchId, driveId, itemId, versionKey } = metadata;
  if (!watchId || !driveId || !itemId || !versionKey) return undefined;
  return { watchId, driveId, itemId, versionKey };
}

/**
 * The metadata of a document made from a watched file: where it came from (see
 * {@link sourceMetadata}), the connection that read it, and the watch.
 */
export function documentMetadata(
  watch: Pick<SharePointWatch, 'id' | 'connectionId' | 'driveId'>,
  file: { itemId: string; webUrl: string | undefined },
): Metadata {
  return {
    ...sourceMetadata({ driveId: watch.driveId, itemId: file.itemId, webUrl: file.webUrl }),
    connectionId: watch.connectionId,
    watchId: watch.id,
  };
}
