import type { DriveItem } from '@microsoft/microsoft-graph-types';
import { describe, expect, it } from 'vitest';
import {
  contentVersionKey,
  type DeltaChange,
  MemorySeenVersions,
  newVersions,
  toDeltaChange,
  unversionedFiles,
} from '../../src/watch/index.js';
import { deltaDeleted, deltaFile } from './fixtures.js';

function change(item: Record<string, unknown>): DeltaChange {
  const result = toDeltaChange(item as DriveItem);
  if (result === undefined) throw new Error('expected a change');
  return result;
}

const uploaded = change(
  deltaFile('01A', 'Q1 Review.docx', { cTag: '"c:{01A},2"', eTag: '"{01A},2"' }),
);
// Prism wrote its review fields back: the eTag moves, the cTag (content) does not.
const writtenBack = change(
  deltaFile('01A', 'Q1 Review.docx', { cTag: '"c:{01A},2"', eTag: '"{01A},3"' }),
);
// Someone saved new content.
const edited = change(
  deltaFile('01A', 'Q1 Review.docx', { cTag: '"c:{01A},5"', eTag: '"{01A},6"' }),
);

/** Handles a batch the way a watch does: each new version is recorded once handled. */
async function handle(changes: DeltaChange[], seen: MemorySeenVersions): Promise<string[]> {
  const fresh = await newVersions(changes, seen);
  for (const { versionKey } of fresh) seen.add(versionKey);
  return fresh.map(({ change }) => (change.kind === 'file' ? change.name : change.itemId));
}

describe('contentVersionKey', () => {
  it('is the item id and its cTag', () => {
    expect(contentVersionKey({ itemId: '01A', cTag: '"c:{01A},2"' })).toBe('01A:"c:{01A},2"');
  });

  it('is undefined without a cTag', () => {
    expect(contentVersionKey({ itemId: '01A', cTag: undefined })).toBeUndefined();
    expect(contentVersionKey({ itemId: '01A', cTag: '' })).toBeUndefined();
  });
});

describe('newVersions', () => {
  it('yields a new upload once, with its version key', async () => {
    const seen = new MemorySeenVersions();
    await expect(newVersions([uploaded], seen)).resolves.toEqual([
      { change: uploaded, versionKey: '01A:"c:{01A},2"' },
    ]);
  });

  it('yields nothing for Prism’s own field write-back (same cTag, new eTag)', async () => {
    const seen = new MemorySeenVersions();
    expect(await handle([uploaded], seen)).toEqual(['Q1 Review.docx']);
    expect(await handle([writtenBack], seen)).toEqual([]);
  });

  it('yields the file again when its content changes', async () => {
    const seen = new MemorySeenVersions();
    await handle([uploaded], seen);
    expect(await handle([edited], seen)).toEqual(['Q1 Review.docx']);
  });

  it('keeps order and drops duplicates within one batch', async () => {
    const other = change(deltaFile('01B', 'Annex.docx'));
    const seen = new MemorySeenVersions();
    const fresh = await newVersions([other, uploaded, writtenBack, other], seen);
    expect(fresh.map(({ versionKey }) => versionKey)).toEqual([
      '01B:"c:{01B},2"',
      '01A:"c:{01A},2"',
    ]);
  });

  it('leaves out deletions and files without a cTag, which unversionedFiles lists', async () => {
    const noCTag = change(deltaFile('01D', 'Scan.pdf', { cTag: undefined }));
    const deletion = change(deltaDeleted('01C'));
    const changes = [deletion, noCTag, uploaded];
    const fresh = await newVersions(changes, new MemorySeenVersions());
    expect(fresh.map(({ change }) => change.itemId)).toEqual(['01A']);
    expect(unversionedFiles(changes)).toEqual([noCTag]);
  });

  it('works with a store that answers asynchronously', async () => {
    const stored = new Set(['01A:"c:{01A},2"']);
    const seen = {
      has: async (key: string) => stored.has(key),
      add: async (key: string) => {
        stored.add(key);
      },
    };
    await expect(newVersions([writtenBack], seen)).resolves.toEqual([]);
    await expect(newVersions([edited], seen)).resolves.toHaveLength(1);
  });
});

describe('MemorySeenVersions claims', () => {
  const key = '01A:"c:{01A},2"';

  it('gives a new version to the first claim only, and holds it until added or released', () => {
    const seen = new MemorySeenVersions();

    expect(seen.claim(key)).toBe(true);
    expect(seen.claim(key)).toBe(false);
    // Claimed is not done: a run that finds it new tries the claim, and is refused.
    expect(seen.has(key)).toBe(false);

    seen.add(key);
    expect(seen.has(key)).toBe(true);
    expect(seen.claim(key)).toBe(false);
  });

  it('makes a released version claimable again, for the next run to review', async () => {
    const seen = new MemorySeenVersions();
    seen.claim(key);

    seen.release(key);

    expect(seen.has(key)).toBe(false);
    await expect(newVersions([uploaded], seen)).resolves.toHaveLength(1);
    expect(seen.claim(key)).toBe(true);
  });

  it('never gives a done version to a claim, and a release leaves it done', () => {
    const seen = new MemorySeenVersions();
    seen.add(key);

    seen.release(key);

    expect(seen.has(key)).toBe(true);
    expect(seen.claim(key)).toBe(false);
  });

  it('yields a version claimed by another run as new, for the claim to settle', async () => {
    const seen = new MemorySeenVersions();
    seen.claim(key);

    await expect(newVersions([uploaded], seen)).resolves.toEqual([
      { change: uploaded, versionKey: key },
    ]);
  });
});
