import type { Metadata } from '@prism/sdk';
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

/** The longest value Prism keeps in a metadata entry. */
const METADATA_VALUE_MAX = 500;

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

/** A SharePoint or OneDrive file, as far as a document's source metadata names it. */
export interface SourceFile {
  /** The drive holding the file. */
  driveId: string;
  /** The file's item id. */
  itemId: string;
  /** Where a person opens it in the browser, when known. */
  webUrl: string | undefined;
}

/**
 * The metadata that says where a document came from: `sourceKind` `sharepoint`, `sourceRef`
 * `{driveId}/{itemId}`, and `sourceUrl` the file's address when it fits a metadata value.
 */
export function sourceMetadata(file: SourceFile): Metadata {
  const metadata: Metadata = {
    sourceKind: 'sharepoint',
    sourceRef: `${file.driveId}/${file.itemId}`,
  };
  if (file.webUrl && file.webUrl.length <= METADATA_VALUE_MAX) metadata.sourceUrl = file.webUrl;
  return metadata;
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
