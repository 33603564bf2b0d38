import type { DeltaChange, DeltaFileChange } from './delta-change.js';

/**
 * The content versions of a watch, kept wherever the server likes. A version is a
 * {@link contentVersionKey}, in one of three states: unknown; claimed (a run is reviewing it:
 * {@link claim} answered `true`, and neither {@link add} nor {@link release} followed); done (its
 * review was started: {@link add}). Claims keep runs of one watch that overlap — on instances
 * sharing one store — from reviewing a version twice: only the run whose claim succeeds reviews
 * it. A store may give claims a lease: a claim neither added nor released within it is taken to
 * be abandoned (its run died) and can be claimed again.
 */
export interface SeenVersions {
  /**
   * Whether this version is done. A claimed version is not: a run that finds it new tries to
   * claim it, and the refusal tells that run another one is reviewing it.
   */
  has(key: string): boolean | Promise<boolean>;
  /**
   * Claims this version for the caller, who then reviews it: `true` when it was unknown or its
   * claim's lease had run out (the caller now holds the claim); `false` when it is done or claimed
   * under a lease still running — by anyone, the caller included. After `true`, end with
   * {@link add} once the review is started, or {@link release} when it could not be.
   */
  claim(key: string): boolean | Promise<boolean>;
  /**
   * Drops this version's unfinished claim after a failure, so it is unknown again and the next
   * run claims and reviews it. A done or unknown version is left as it is.
   */
  release(key: string): void | Promise<void>;
  /** Records this version as done (its review was started), ending its claim if it had one. */
  add(key: string): void | Promise<void>;
}

/**
 * {@link SeenVersions} in memory, for tests and one-off runs. Its claims have no lease: one is
 * held until {@link add} or {@link release}.
 */
export class MemorySeenVersions implements SeenVersions {
  readonly #done = new Set<string>();
  readonly #claimed = new Set<string>();

  /** Whether this version is done. */
  has(key: string): boolean {
    return this.#done.has(key);
  }

  /** Claims this version: `false` when it is done or already claimed. */
  claim(key: string): boolean {
    if (this.#done.has(key) || this.#claimed.has(key)) return false;
    this.#claimed.add(key);
    return true;
  }

  /** Drops this version's claim; a done version stays done. */
  release(key: string): void {
    this.#claimed.delete(key);
  }

  /** Records this version as done, ending its claim. */
  add(key: string): void {
    this.#claimed.delete(key);
    this.#done.add(key);
  }
}

/** A file change whose content Prism has not seen, with its version key. */
export interface NewVersion {
  /** The change, as the delta query reported it. */
  change: DeltaFileChange;
  /** Its {@link contentVersionKey}: claim it with `SeenVersions.claim` before handling the file. */
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
 * The file changes whose content version is new: not done in `seen` (a claimed version is new
 * too) and not earlier in the same batch, in order. Deletions and files without a cTag are left
 * out (see {@link unversionedFiles}). Nothing is recorded: claim each `versionKey` before
 * handling its file, since another run may have found it new too.
 */
export async function newVersions(
  changes: readonly DeltaChange[],
  seen: Pick<SeenVersions, 'has'>,
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
