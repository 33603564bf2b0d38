import type { Client } from '@microsoft/microsoft-graph-client';
import { isReviewedCopyName } from '../sink/reviewed-copy-name.js';
import { getFile } from '../source/get-file.js';
import { isReviewable } from '../source/reviewable.js';
import type { SharePointFile } from '../source/sharepoint-file.js';
import type { DeltaFileChange } from '../watch/delta-change.js';
import { inWatchedScope, needsParentPath } from '../watch/scope.js';
import { contentVersionKey } from '../watch/versions.js';
import { type SharePointWatch, watchScope } from './sharepoint-watch.js';
import { type SkippedFile, skipForFailure } from './skipped-file.js';

/** Whether a changed file goes on to review (when its version is new), or why it does not. */
export type Admission =
  | { kind: 'candidate'; file: DeltaFileChange }
  | { kind: 'skipped'; skipped: SkippedFile };

/**
 * Decides whether a changed file is one the watch reviews: not a reviewed copy, inside the
 * watched folder, of a watched type, in a format Prism reads and within `maxBytes`, with a
 * content tag. Only when the delta answer left out what that takes (the parent path, or the
 * cTag) is the file read from Graph; a file gone by then is skipped.
 */
export async function admitFile(
  client: Client,
  watch: SharePointWatch,
  change: DeltaFileChange,
  maxBytes: number,
): Promise<Admission> {
  const skip = (skipped: Omit<SkippedFile, 'itemId'>): Admission => ({
    kind: 'skipped',
    skipped: { itemId: change.itemId, ...skipped },
  });
  if (isReviewedCopyName(change.name)) return skip({ name: change.name, reason: 'reviewed_copy' });
  const scope = watchScope(watch);
  const pathMissing = needsParentPath(change, scope);
  if (!pathMissing && !inWatchedScope(change, scope)) {
    return skip({ name: change.name, reason: 'out_of_scope' });
  }
  let file = change;
  if (pathMissing || contentVersionKey(change) === undefined) {
    try {
      file = fromSharePointFile(
        await getFile(client, { driveId: watch.driveId, itemId: change.itemId }),
      );
    } catch (error) {
      const skipped = skipForFailure(error, change);
      if (skipped === undefined) throw error;
      return { kind: 'skipped', skipped };
    }
    if (!inWatchedScope(file, scope)) return skip({ name: file.name, reason: 'out_of_scope' });
  }
  const reviewable = isReviewable(
    { name: file.name, size: file.size ?? 0, mimeType: file.mimeType ?? null },
    { maxBytes },
  );
  if (!reviewable.ok) {
    return skip({ name: file.name, reason: reviewable.reason, message: reviewable.message });
  }
  if (contentVersionKey(file) === undefined) {
    return skip({ name: file.name, reason: 'no_content_version' });
  }
  return { kind: 'candidate', file };
}

/** A file read by id, in the shape a delta answer gives. */
function fromSharePointFile(file: SharePointFile): DeltaFileChange {
  return {
    kind: 'file',
    itemId: file.itemId,
    name: file.name,
    cTag: file.cTag ?? undefined,
    eTag: file.eTag,
    size: file.size,
    mimeType: file.mimeType ?? undefined,
    driveId: file.driveId,
    parentId: file.parentId ?? undefined,
    parentPath: file.parentPath ?? undefined,
    webUrl: file.webUrl || undefined,
    lastModifiedDateTime: file.lastModifiedDateTime || undefined,
  };
}
