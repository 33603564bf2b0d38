import { ExtractionError } from '../errors.js';
import type { DocumentFormat } from '../types.js';

/**
 * What a file's first bytes say it is; `office` is a legacy Office (OLE2) file, which may be a
 * password-protected `.docx`, or RTF.
 */
type Container = 'zip' | 'pdf' | 'office' | 'odt';

/** A format Prism does not read but recognises, with its name for messages. */
interface Legacy {
  legacy: string;
  /** Whether its files are zip archives (so zip content does not contradict the name). */
  zipped?: boolean;
}

/** The formats Prism reads, as users name them; part of every `unsupported_format` hint. */
export const SUPPORTED_EXTENSIONS = ['.docx', '.pdf', '.md', '.txt', '.html'] as const;

const EXTENSIONS = new Map<string, DocumentFormat | Legacy>(
  Object.entries({
    docx: 'docx',
    pdf: 'pdf',
    md: 'markdown',
    markdown: 'markdown',
    txt: 'text',
    text: 'text',
    html: 'html',
    htm: 'html',
    xhtml: 'html',
    doc: { legacy: 'a legacy Word (.doc) document' },
    dot: { legacy: 'a legacy Word template (.dot)' },
    rtf: { legacy: 'an RTF document' },
    odt: { legacy: 'an OpenDocument text (.odt) document', zipped: true },
    wpd: { legacy: 'a WordPerfect document' },
  }),
);

const MEDIA_TYPES = new Map<string, DocumentFormat | Legacy>(
  Object.entries({
    'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
    'application/pdf': 'pdf',
    'text/markdown': 'markdown',
    'text/x-markdown': 'markdown',
    'text/plain': 'text',
    'text/html': 'html',
    'application/xhtml+xml': 'html',
    'application/msword': { legacy: 'a legacy Word (.doc) document' },
    'application/rtf': { legacy: 'an RTF document' },
    'text/rtf': { legacy: 'an RTF document' },
    'application/vnd.oasis.opendocument.text': {
      legacy: 'an OpenDocument text (.odt) document',
      zipped: true,
    },
  }),
);

/**
 * Whether Prism reads files of a type, named by extension (`docx`, `.PDF`) or media type
 * (`text/html; charset=utf-8`): `supported`; `legacy` for a word-processing format Prism
 * recognises but does not read (saved as .docx, it can be reviewed); `unknown` otherwise.
 */
export type FileTypeSupport = 'supported' | 'legacy' | 'unknown';

/** How Prism treats files with the extension `extension` (with or without its dot). */
export function extensionSupport(extension: string): FileTypeSupport {
  return supportOf(EXTENSIONS.get(extension.replace(/^\./, '').toLowerCase()));
}

/** How Prism treats files of the media type `mediaType` (parameters ignored). */
export function mediaTypeSupport(mediaType: string): FileTypeSupport {
  return supportOf(MEDIA_TYPES.get(mediaType.split(';')[0]?.trim().toLowerCase() ?? ''));
}

function supportOf(known: DocumentFormat | Legacy | undefined): FileTypeSupport {
  if (known === undefined) return 'unknown';
  return typeof known === 'string' ? 'supported' : 'legacy';
}

/** How each container reads in a message. */
const CONTAINER_NAMES: Record<Exclude<Container, 'office'>, string> = {
  zip: 'a zip archive (such as a .docx document)',
  pdf: 'a PDF document',
  odt: 'an OpenDocument text (.odt) document',
};

const CONVERT_HINT =
  'Open it in Word or LibreOffice, save it as .docx (Word Document), and try again.';

/**
 * Decides how to read a file, trusting its content over its name:
 * - the first bytes decide first: a zip archive is `.docx`, `%PDF` is a PDF, OpenDocument text
 *   is `legacy_format`; a legacy Office (OLE2) or RTF file goes to the `.docx` reader whatever
 *   its name, which refuses it as `legacy_format` or, for a password-protected `.docx`,
 *   `document_encrypted`;
 * - a zip or PDF under another format's name (a `.docx` renamed `.pdf`, a PDF renamed `.txt`
 *   or `.doc`) is `document_corrupt`, naming what the content is;
 * - otherwise the extension, then `mediaType`, decide: a text format (Markdown, text, HTML);
 *   `.doc`, `.rtf`, `.odt` and the like are `legacy_format`; a `.docx` or `.pdf` whose content
 *   is not one is `document_corrupt`; anything else is `unsupported_format`, with the
 *   supported extensions in the hint.
 *
 * @throws {ExtractionError} `legacy_format`, `document_corrupt` or `unsupported_format`.
 */
export function detectFormat(
  bytes: Uint8Array,
  filename: string,
  mediaType?: string,
): DocumentFormat {
  const named = declaredFormat(filename, mediaType);
  const container = sniffContainer(bytes, named === null || named === 'pdf');
  const name = baseName(filename);
  if (container === 'office') return 'docx';
  if (container === 'odt') throw legacyFormat(name, CONTAINER_NAMES.odt);
  if (container === 'zip' && typeof named === 'object' && named?.zipped) {
    throw legacyFormat(name, named.legacy);
  }
  if (container !== null) {
    const format = container === 'zip' ? 'docx' : 'pdf';
    if (named === null || named === format) return format;
    throw new ExtractionError(
      'document_corrupt',
      `${name} is named as ${describe(named)} but its content is ${CONTAINER_NAMES[container]}.`,
      {
        hint: `If it is one, rename it to ${format === 'docx' ? '.docx' : '.pdf'}; otherwise export it again from its application.`,
      },
    );
  }
  if (named === null) {
    throw new ExtractionError('unsupported_format', `${name} is not in a format Prism reads.`, {
      hint: `Prism reads ${SUPPORTED_EXTENSIONS.join(', ')} files; convert the document to one of them.`,
    });
  }
  if (typeof named !== 'string') throw legacyFormat(name, named.legacy);
  if (named === 'docx' || named === 'pdf') {
    const missing = named === 'pdf' ? 'it has no %PDF header' : 'it is not a zip archive';
    throw new ExtractionError(
      'document_corrupt',
      `${name} is named as ${describe(named)} but is not one: ${missing}.`,
      { hint: 'The file is damaged or mislabelled: export it again from its application.' },
    );
  }
  return named;
}

/** The container the bytes start with; `lenientPdf` accepts junk before a PDF header. */
function sniffContainer(bytes: Uint8Array, lenientPdf: boolean): Container | null {
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04]) || startsWith(bytes, [0x50, 0x4b, 0x05, 0x06])) {
    return isOpenDocumentText(bytes) ? 'odt' : 'zip';
  }
  if (startsWith(bytes, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) return 'office';
  if (ascii(bytes, 0, 5) === '{\\rtf') return 'office';
  // PDF readers accept junk before the header, within the first kilobyte; a text file that
  // merely mentions `%PDF-` is not a PDF.
  const header = ascii(bytes, 0, 1024).indexOf('%PDF-');
  if (header === 0 || (header > 0 && lenientPdf)) return 'pdf';
  return null;
}

/** An OpenDocument package names its type in a first, uncompressed `mimetype` entry. */
function isOpenDocumentText(bytes: Uint8Array): boolean {
  return ascii(bytes, 30, 38) === 'mimetype' && ascii(bytes, 38, 120).includes('opendocument.text');
}

function declaredFormat(filename: string, mediaType?: string): DocumentFormat | Legacy | null {
  const extension = /\.([^./\\]+)$/.exec(filename)?.[1]?.toLowerCase();
  const byExtension = extension === undefined ? undefined : EXTENSIONS.get(extension);
  if (byExtension !== undefined) return byExtension;
  const type = mediaType?.split(';')[0]?.trim().toLowerCase();
  return (type === undefined ? undefined : MEDIA_TYPES.get(type)) ?? null;
}

function legacyFormat(name: string, what: string): ExtractionError {
  return new ExtractionError('legacy_format', `${name} is ${what}, which Prism does not read.`, {
    hint: CONVERT_HINT,
  });
}

function describe(format: DocumentFormat | Legacy): string {
  if (typeof format !== 'string') return format.legacy;
  const names: Record<DocumentFormat, string> = {
    docx: 'a .docx document',
    pdf: 'a PDF',
    markdown: 'Markdown',
    text: 'plain text',
    html: 'HTML',
  };
  return names[format];
}

function baseName(filename: string): string {
  return filename.split(/[/\\]/).pop() || filename;
}

function startsWith(bytes: Uint8Array, prefix: number[]): boolean {
  return prefix.every((byte, index) => bytes[index] === byte);
}

function ascii(bytes: Uint8Array, start: number, end: number): string {
  return String.fromCharCode(...bytes.subarray(start, Math.min(end, bytes.length)));
}
