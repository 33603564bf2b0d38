import type { DeltaChange, DeltaFileChange } from './delta-change.js';

/** Which files of a drive a watch reviews. */
export interface WatchScope {
  /**
   * The watched folder as Graph writes a path, e.g. `/drives/{driveId}/root:/Reports`; files in
   * it and in its subfolders are in scope. Unset: the whole drive.
   */
  folderPath?: string;
  /** File extensions to review, e.g. `['docx', '.pdf']` (case and leading dot ignored). Empty: every type. */
  fileTypes: readonly string[];
}

/**
 * Whether a change concerns the watch. A file is in scope when its parent folder is the watched
 * folder or under it (whole path segments, case-insensitive like SharePoint) and its extension
 * is watched. A file whose parent path Graph left out is out of scope: see {@link needsParentPath}.
 * A deletion names no folder or file type, so it is always in scope: match it by item id
 * against the documents the watch has produced.
 */
export function inWatchedScope(change: DeltaChange, scope: WatchScope): boolean {
  if (change.kind === 'deleted') return true;
  return (
    typeWatched(change.name, scope.fileTypes) && folderWatched(change.parentPath, scope.folderPath)
  );
}

/**
 * Whether the scope cannot be decided for this file because Graph's delta answer left out its
 * parent path (it may, by design). Fetch the item by id (`GET /drives/{driveId}/items/{itemId}`),
 * whose `parentReference.path` is complete, and check {@link inWatchedScope} again.
 */
export function needsParentPath(change: DeltaChange, scope: WatchScope): boolean {
  return (
    change.kind === 'file' &&
    change.parentPath === undefined &&
    scope.folderPath !== undefined &&
    folderSegments(scope.folderPath).length > 0 &&
    typeWatched(change.name, scope.fileTypes)
  );
}

function typeWatched(name: DeltaFileChange['name'], fileTypes: readonly string[]): boolean {
  if (fileTypes.length === 0) return true;
  const dot = name.lastIndexOf('.');
  if (dot <= 0) return false;
  const extension = normalise(name.slice(dot + 1));
  return fileTypes.some((type) => normalise(type.replace(/^\./, '')) === extension);
}

function folderWatched(parentPath: string | undefined, folderPath: string | undefined): boolean {
  if (folderPath === undefined) return true;
  const watched = folderSegments(folderPath);
  if (watched.length === 0) return true;
  if (parentPath === undefined) return false;
  const parent = folderSegments(parentPath);
  return watched.length <= parent.length && watched.every((segment, i) => segment === parent[i]);
}

/**
 * The folder names after the drive root, decoded and lower-cased:
 * `/drives/b!x/root:/Legal%20Docs/2024` gives `['legal docs', '2024']`. The drive part
 * (`/drives/{id}/root:`, `/drive/root:`) is dropped: a watch reads one drive.
 */
function folderSegments(path: string): string[] {
  const marker = path.indexOf('root:');
  const relative = marker === -1 ? path : path.slice(marker + 'root:'.length);
  return relative
    .split('/')
    .filter((segment) => segment.length > 0)
    .map((segment) => normalise(decodeSegment(segment)));
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function normalise(text: string): string {
  return text.normalize('NFC').toLowerCase();
}
