import type { DeltaChange, DeltaFileChange } from './delta-change.js';

/**
 * The content versions a watch has already handled, kept wherever the server likes. A version
 * is a {@link contentVersionKey}.
 */
export interface SeenVersions {
  /** Whether this version was handled before. */
  has(key: string): boolean | Promise<boolean>;
  /** Records a version as handled. */
  add(key: string): void | Promise<void>;
}

/** {@link SeenVersions} in memory, for tests and one-off runs. */
export class MemorySeenVersions implements SeenVersions {
  readonly #keys = new Set<string>();

  /** Whether this version was handled before. */
  has(key: string): boolean {
    return this.#keys.has(key);
  }

  /** Records a version as handled. */
  add(key: string): void {
    this.#keys.add(key);
  }
}

/** A file change whose content Prism has not seen, with its version key. */
export interface NewVersion {
  /** The change, as the delta query reported it. */
  change: DeltaFileChange;
  /** Its {@link contentVersionKey}: record it with `SeenVersions.add` once the file is handled. */
  versionKey: string;
}

/**
 * The version of a file's content: `${itemId}:${cTag}`, or `undefined` without a cTag. The cTag
 * changes only with the content, so Prism writing review fields back to the item (which changes
 * its eTag) never makes a new version, and never triggers a second review of the same content.
 */
export function contentVersionKey(
  item: Pick<DeltaFileChange, 'itemId' | 'cTag'>,
): string | undefined {
  return item.cTag === undefined || item.cTag.length === 0
    ? undefined
    : `${item.itemId}:${item.cTag}`;
}

/**
 * The file changes whose content version is new: not in `seen` and not earlier in the same
 * batch, in order. Deletions and files without a cTag are left out (see {@link unversionedFiles}).
 * Nothing is recorded: add each `versionKey` to `seen` once its file is handled.
 */
export async function newVersions(
  changes: readonly DeltaChange[],
  seen: SeenVersions,
): Promise<NewVersion[]> {
  const fresh: NewVersion[] = [];
  const inBatch = new Set<string>();
  for (const change of changes) {
    if (change.kind !== 'file') continue;
    const versionKey = contentVersionKey(change);
    if (versionKey === undefined || inBatch.has(versionKey)) continue;
    inBatch.add(versionKey);
    if (!(await seen.has(versionKey))) fresh.push({ change, versionKey });
  }
  return fresh;
}

/**
 * The file changes that came without a cTag, so their version cannot be told: fetch each item
 * by id (`GET /drives/{driveId}/items/{itemId}`), which includes its cTag, before deciding.
 */
export function unversionedFiles(changes: readonly DeltaChange[]): DeltaFileChange[] {
  return changes.filter(
    (change): change is DeltaFileChange =>
      change.kind === 'file' && contentVersionKey(change) === undefined,
  );
}
