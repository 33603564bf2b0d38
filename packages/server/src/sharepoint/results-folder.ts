import { WatchTargetError } from './watch-target.js';

/** Characters SharePoint refuses in file and folder names. */
const FORBIDDEN = /["*:<>?\\|]/;

/**
 * A watch's results folder as the write-back uses it: the path of a folder from the library's
 * root, its names separated by single slashes, without leading or trailing slashes or spaces
 * (` /Prism reviews/2026/ ` becomes `Prism reviews/2026`).
 *
 * @throws {WatchTargetError} `watch_results_folder_invalid` for a link, an empty path, a `.` or
 *   `..` name, or a character SharePoint refuses in names.
 */
export function normalizeResultsFolder(resultsFolder: string): string {
  const refuse = (why: string, hint: string) =>
    new WatchTargetError(
      'watch_results_folder_invalid',
      `The results folder '${resultsFolder}' ${why}.`,
      hint,
    );
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(resultsFolder.trim())) {
    throw refuse(
      'is a link, not a folder path',
      "Give the folder's path from the library's root, such as 'Prism reviews' or 'Reviews/2026'.",
    );
  }
  const names = resultsFolder
    .split('/')
    .map((name) => name.trim())
    .filter((name) => name !== '');
  if (names.length === 0) {
    throw refuse(
      'names no folder',
      "Give a folder path such as 'Prism reviews', or leave resultsFolder out to put each reviewed copy next to its original.",
    );
  }
  for (const name of names) {
    if (name === '.' || name === '..') {
      throw refuse(
        `has the name '${name}'`,
        "Give the path from the library's root, without '.' or '..'.",
      );
    }
    if (FORBIDDEN.test(name)) {
      throw refuse(
        'has a character SharePoint refuses in names',
        'Leave out " * : < > ? \\ and | from folder names.',
      );
    }
  }
  return names.join('/');
}
