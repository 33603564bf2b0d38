import { APIError } from '@prism/sdk';
import { GraphFailure } from '../graph/graph-errors.js';
import { SharePointFileError } from '../source/file-error.js';
import type { SkipReason } from './auto-review-stats.js';

/** A changed file the auto-reviewer left alone, and why. */
export interface SkippedFile {
  /** The file's item id. */
  itemId: string;
  /** Its name. */
  name: string;
  /** Why it was not reviewed. */
  reason: SkipReason;
  /** The reason in a sentence, when there is more to say than the code. */
  message?: string;
}

/**
 * The skip a failure about one file amounts to, or `undefined` when the failure is not the
 * file's own (Graph unavailable, access denied, Prism down…) and the run must stop: an item
 * deleted or moved away, a folder, a file over the limit, a file Prism cannot read.
 */
export function skipForFailure(
  error: unknown,
  file: { itemId: string; name: string },
): SkippedFile | undefined {
  const reason = skipReason(error);
  if (reason === undefined) return undefined;
  const message = error instanceof Error ? error.message : String(error);
  return { itemId: file.itemId, name: file.name, reason, message };
}

function skipReason(error: unknown): SkipReason | undefined {
  if (error instanceof GraphFailure && error.code === 'item_not_found') return 'item_not_found';
  if (error instanceof SharePointFileError) {
    if (error.code === 'not_a_file') return 'not_a_file';
    if (error.code === 'file_too_large') return 'file_too_large';
    return undefined;
  }
  if (error instanceof APIError) {
    if (error.status === 413) return 'file_too_large';
    if (error.status === 415) {
      return error.code === 'legacy_format' ? 'legacy_format' : 'unsupported_format';
    }
    if (error.status === 422) return 'document_rejected';
  }
  return undefined;
}
