import { DEFAULT_EXTRACTION_LIMITS } from '@prism/sdk';
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

/** The formats Prism reads, as users name them. */
const SUPPORTED_EXTENSIONS = ['.docx', '.pdf', '.md', '.txt', '.html'];

type Kind = 'supported' | 'legacy';

const EXTENSIONS = new Map<string, Kind>([
  ['docx', 'supported'],
  ['pdf', 'supported'],
  ['md', 'supported'],
  ['markdown', 'supported'],
  ['txt', 'supported'],
  ['text', 'supported'],
  ['html', 'supported'],
  ['htm', 'supported'],
  ['xhtml', 'supported'],
  ['doc', 'legacy'],
  ['dot', 'legacy'],
  ['rtf', 'legacy'],
  ['odt', 'legacy'],
  ['wpd', 'legacy'],
]);

const MEDIA_TYPES = new Map<string, Kind>([
  ['application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'supported'],
  ['application/pdf', 'supported'],
  ['text/markdown', 'supported'],
  ['text/x-markdown', 'supported'],
  ['text/plain', 'supported'],
  ['text/html', 'supported'],
  ['application/xhtml+xml', 'supported'],
  ['application/msword', 'legacy'],
  ['application/rtf', 'legacy'],
  ['text/rtf', 'legacy'],
  ['application/vnd.oasis.opendocument.text', 'legacy'],
]);

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
  if (kind === null) {
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

function formatKind(name: string, mimeType: string | null): Kind | null {
  const extension = /\.([^./\\]+)$/.exec(name)?.[1]?.toLowerCase();
  const byExtension = extension === undefined ? undefined : EXTENSIONS.get(extension);
  if (byExtension !== undefined) return byExtension;
  const type = mimeType?.split(';')[0]?.trim().toLowerCase();
  return (type === undefined ? undefined : MEDIA_TYPES.get(type)) ?? null;
}

/** Bytes as megabytes with one decimal, as Prism's other size messages show them. */
export function megabytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}
