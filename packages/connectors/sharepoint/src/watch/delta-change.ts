import type { DriveItem } from '@microsoft/microsoft-graph-types';

/** A file that was added or changed (content, name, place or fields) in the watched drive. */
export interface DeltaFileChange {
  kind: 'file';
  /** The driveItem id: track items by id, names and paths change. */
  itemId: string;
  /** The file name, e.g. `Report.docx`. */
  name: string;
  /** The content tag: it changes with the content, not with fields or other metadata. */
  cTag: string | undefined;
  /** The entity tag: it changes with anything, including fields Prism writes back. */
  eTag: string | undefined;
  /** Size in bytes. */
  size: number | undefined;
  /** The file's MIME type, as SharePoint reports it. */
  mimeType: string | undefined;
  /** The drive that holds the file. */
  driveId: string | undefined;
  /** The parent folder's id. */
  parentId: string | undefined;
  /** The parent folder's percent-encoded path, e.g. `/drives/{driveId}/root:/Reports`, when Graph gives it. */
  parentPath: string | undefined;
  /** The file's address in the browser. */
  webUrl: string | undefined;
  /** When the item last changed (ISO 8601). */
  lastModifiedDateTime: string | undefined;
}

/** An item that was deleted. SharePoint reports only its id. */
export interface DeltaDeletion {
  kind: 'deleted';
  /** The deleted driveItem's id. */
  itemId: string;
}

/** One change a delta query reports: a file added or changed, or an item deleted. Folders are left out. */
export type DeltaChange = DeltaFileChange | DeltaDeletion;

/**
 * The change a delta item stands for, or `undefined` for what Prism does not watch: folders
 * (deleted or not), the root, packages such as OneNote notebooks, items without an id.
 */
export function toDeltaChange(item: DriveItem): DeltaChange | undefined {
  const itemId = item.id;
  if (typeof itemId !== 'string' || item.root != null || item.folder != null) return undefined;
  if (item.deleted != null) return { kind: 'deleted', itemId };
  if (item.file == null) return undefined;
  const parent = item.parentReference;
  return {
    kind: 'file',
    itemId,
    name: item.name ?? '',
    cTag: item.cTag ?? undefined,
    eTag: item.eTag ?? undefined,
    size: item.size ?? undefined,
    mimeType: item.file.mimeType ?? undefined,
    driveId: parent?.driveId ?? undefined,
    parentId: parent?.id ?? undefined,
    parentPath: parent?.path ?? undefined,
    webUrl: item.webUrl ?? undefined,
    lastModifiedDateTime: item.lastModifiedDateTime ?? undefined,
  };
}

/**
 * Folds a delta feed's changes to one per item, the last one Graph gave (a feed may list an
 * item more than once; the last occurrence is its current state), ordered by that last
 * occurrence.
 */
export function latestPerItem(changes: Iterable<DeltaChange>): DeltaChange[] {
  const latest = new Map<string, DeltaChange>();
  for (const change of changes) {
    latest.delete(change.itemId);
    latest.set(change.itemId, change);
  }
  return [...latest.values()];
}
