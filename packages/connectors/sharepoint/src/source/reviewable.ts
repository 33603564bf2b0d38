import {
  DEFAULT_EXTRACTION_LIMITS,
  extensionSupport,
  type FileTypeSupport,
  mediaTypeSupport,
  SUPPORTED_EXTENSIONS,
} from '@prism/sdk';
import type { SharePointFile } from './sharepoint-file.js';

/**
 * The largest file taken by default: Prism's own limit on a document (25 MB), the same as a
 * Prism server's upload limit.
 */
export const DEFAULT_MAX_FILE_BYTES = DEFAULT_EXTRACTION_LIMITS.maxFileBytes;

/** Why a file is not reviewed; the codes match Prism's own extraction errors. */
export type NotReviewableReason = 'unsupported_format' | 'legacy_format' | 'file_too_large';

/** Whether a file can be reviewed, and if not why, in a sentence for the person who shared it. */
export type Reviewability =
  | { ok: true }
  | { ok: false; reason: NotReviewableReason; message: string };

/** What {@link isReviewable} accepts besides the file. */
export interface ReviewableOptions {
  /** The largest file to take, in bytes. Default {@link DEFAULT_MAX_FILE_BYTES}. */
  maxBytes?: number;
}

/**
 * Decides from a file's details alone, before anything is downloaded, whether Prism can
 * review it: its extension (or, when the extension says nothing, its media type) must be one
 * of the formats Prism reads (.docx, .pdf, .md/.markdown, .txt, .html/.htm), and its size
 * within `maxBytes`. Legacy word-processing formats (.doc, .rtf, .odt...) are told apart, since
 * saving them as .docx makes them reviewable. A file accepted on its media type alone must be
 * read with that media type, since its name says nothing.
 */
export function isReviewable(
  file: Pick<SharePointFile, 'name' | 'size' | 'mimeType'>,
  options: ReviewableOptions = {},
): Reviewability {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_FILE_BYTES;
  const kind = formatKind(file.name, file.mimeType);
  if (kind === 'unknown') {
    return {
      ok: false,
      reason: 'unsupported_format',
      message: `${file.name} is not in a format Prism reads (${SUPPORTED_EXTENSIONS.join(', ')}).`,
    };
  }
  if (kind === 'legacy') {
    return {
      ok: false,
      reason: 'legacy_format',
      message: `${file.name} is in a legacy format Prism does not read; save it as .docx (Word Document) to have it reviewed.`,
    };
  }
  if (file.size > maxBytes) {
    return {
      ok: false,
      reason: 'file_too_large',
      message: `${file.name} is ${megabytes(file.size)}; the limit is ${megabytes(maxBytes)}.`,
    };
  }
  return { ok: true };
}

function formatKind(name: string, mimeType: string | null): FileTypeSupport {
  const extension = /\.([^./\\]+)$/.exec(name)?.[1];
  const byExtension = extension === undefined ? 'unknown' : extensionSupport(extension);
  if (byExtension !== 'unknown' || mimeType === null) return byExtension;
  return mediaTypeSupport(mimeType);
}

/** Bytes as megabytes with one decimal, as Prism's other size messages show them. */
export function megabytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}
