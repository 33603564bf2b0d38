import type { DriveItem } from '@microsoft/microsoft-graph-types';
import { describe, expect, it } from 'vitest';
import {
  type DeltaChange,
  inWatchedScope,
  needsParentPath,
  toDeltaChange,
  type WatchScope,
} from '../../src/watch/index.js';
import { DRIVE_ID, deltaDeleted, deltaFile } from './fixtures.js';

/** A file change as a delta page would report it, in a folder given by its Graph path. */
function fileIn(parentPath: string | undefined, name = 'Q1 Review.docx'): DeltaChange {
  const item = deltaFile('01A', name) as DriveItem;
  const change = toDeltaChange({
    ...item,
    parentReference: { ...item.parentReference, path: parentPath },
  });
  if (change === undefined) throw new Error('expected a file change');
  return change;
}

const reports: WatchScope = {
  folderPath: `/drives/${DRIVE_ID}/root:/Reports`,
  fileTypes: ['docx', '.PDF'],
};

describe('inWatchedScope', () => {
  it('takes files in the watched folder and its subfolders', () => {
    expect(inWatchedScope(fileIn(`/drives/${DRIVE_ID}/root:/Reports`), reports)).toBe(true);
    expect(inWatchedScope(fileIn(`/drives/${DRIVE_ID}/root:/Reports/2024/Q1`), reports)).toBe(true);
  });

  it('matches folder names case-insensitively and percent-decoded, like SharePoint', () => {
    expect(inWatchedScope(fileIn(`/drives/${DRIVE_ID}/root:/REPORTS/2024`), reports)).toBe(true);
    const legal: WatchScope = { folderPath: `/drives/${DRIVE_ID}/root:/Legal Docs`, fileTypes: [] };
    expect(inWatchedScope(fileIn(`/drives/${DRIVE_ID}/root:/Legal%20Docs/Contracts`), legal)).toBe(
      true,
    );
    expect(inWatchedScope(fileIn('/drive/root:/legal%20docs'), legal)).toBe(true);
  });

  it('compares whole folder names, not text prefixes', () => {
    expect(inWatchedScope(fileIn(`/drives/${DRIVE_ID}/root:/Reports2`), reports)).toBe(false);
    expect(inWatchedScope(fileIn(`/drives/${DRIVE_ID}/root:/Archive/Reports`), reports)).toBe(
      false,
    );
    expect(inWatchedScope(fileIn(`/drives/${DRIVE_ID}/root:`), reports)).toBe(false);
  });

  it('takes every folder when the scope is the drive or its root', () => {
    const drive: WatchScope = { fileTypes: ['docx'] };
    const root: WatchScope = { folderPath: `/drives/${DRIVE_ID}/root:`, fileTypes: ['docx'] };
    for (const scope of [drive, root]) {
      expect(inWatchedScope(fileIn(`/drives/${DRIVE_ID}/root:`), scope)).toBe(true);
      expect(inWatchedScope(fileIn(`/drives/${DRIVE_ID}/root:/Anything/Deep`), scope)).toBe(true);
    }
  });

  it('takes only the watched file types, by extension, ignoring case and the dot', () => {
    const path = `/drives/${DRIVE_ID}/root:/Reports`;
    expect(inWatchedScope(fileIn(path, 'Scan.pdf'), reports)).toBe(true);
    expect(inWatchedScope(fileIn(path, 'Notes.DOCX'), reports)).toBe(true);
    expect(inWatchedScope(fileIn(path, 'Budget.xlsx'), reports)).toBe(false);
    expect(inWatchedScope(fileIn(path, 'README'), reports)).toBe(false);
    expect(inWatchedScope(fileIn(path, 'report.docx.txt'), reports)).toBe(false);
  });

  it('takes every file type when none are listed', () => {
    const scope: WatchScope = { fileTypes: [] };
    expect(inWatchedScope(fileIn(`/drives/${DRIVE_ID}/root:`, 'Budget.xlsx'), scope)).toBe(true);
  });

  it('keeps deletions in scope: they carry only an id', () => {
    const deletion = toDeltaChange(deltaDeleted('01C') as DriveItem);
    expect(deletion).toEqual({ kind: 'deleted', itemId: '01C' });
    expect(deletion && inWatchedScope(deletion, reports)).toBe(true);
  });
});

describe('needsParentPath', () => {
  it('flags a watched-type file whose parent path Graph left out, when a folder is watched', () => {
    const change = fileIn(undefined);
    expect(inWatchedScope(change, reports)).toBe(false);
    expect(needsParentPath(change, reports)).toBe(true);
  });

  it('does not flag files that are decided without the path', () => {
    expect(needsParentPath(fileIn(undefined), { fileTypes: ['docx'] })).toBe(false);
    expect(needsParentPath(fileIn(undefined, 'Budget.xlsx'), reports)).toBe(false);
    expect(needsParentPath(fileIn(`/drives/${DRIVE_ID}/root:/Reports`), reports)).toBe(false);
    const deletion = toDeltaChange(deltaDeleted('01C') as DriveItem);
    expect(deletion && needsParentPath(deletion, reports)).toBe(false);
  });
});
