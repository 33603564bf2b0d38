import { ExtractionError } from '../errors.js';
import { type SectionOptions, splitSections } from '../sections.js';
import {
  DEFAULT_EXTRACTION_LIMITS,
  type DocumentFormat,
  type ExtractedDocument,
  type ExtractionLimits,
  type ReviewableDocument,
} from '../types.js';
import { startDeadline } from './budget.js';
import { decodeText } from './decode.js';
import { detectFormat } from './detect.js';
import { extractDocx } from './docx.js';
import { extractHtml } from './html.js';
import { extractMarkdown } from './markdown.js';
import { extractPdf } from './pdf.js';
import { extractText } from './text.js';

/** A document file to read. */
export interface DocumentInput {
  /** The file's content. */
  bytes: Uint8Array;
  /** Its name (a path is fine); the extension is a hint when the content does not decide. */
  filename: string;
  /** Its media type, when known (e.g. from an upload); used when the extension says nothing. */
  mediaType?: string;
}

/** What {@link readDocument} accepts besides the file. */
export interface ReadDocumentOptions {
  /** Extraction limits; unset ones take {@link DEFAULT_EXTRACTION_LIMITS}. */
  limits?: Partial<ExtractionLimits>;
  /** Sectioning options; `maxSections` defaults to the `maxSections` limit. */
  sections?: Partial<SectionOptions>;
}

/** A document read and split into sections, with the extraction it came from. */
export interface ReadDocumentResult extends ReviewableDocument {
  /** The format it was read as. */
  format: DocumentFormat;
  /** The extracted blocks the sections were made from. */
  extracted: ExtractedDocument;
}

/**
 * Reads a document into Prism's structured form. The size limit is checked first, then the
 * format is decided from the content and name (see {@link detectFormat}), then the format's
 * reader runs within the time budget. Text formats are decoded as described by
 * {@link decodeText}. A PDF without a text layer (a scan) reads as a document with no blocks.
 * Any failure is an {@link ExtractionError}; an unexpected one from a reader is reported as
 * `document_corrupt`, with the original error as its `cause`.
 *
 * @throws {ExtractionError} `file_too_large`, `unsupported_format`, `legacy_format`,
 *   `document_encrypted`, `document_corrupt`, `time_budget_exceeded`, or a reader's own limit
 *   (`too_many_pages`, the archive and XML limits of `.docx`).
 */
export async function extractDocument(
  input: DocumentInput,
  limits: Partial<ExtractionLimits> = {},
): Promise<ExtractedDocument> {
  const settings = { ...DEFAULT_EXTRACTION_LIMITS, ...limits };
  const name = input.filename.split(/[/\\]/).pop() || input.filename;
  if (input.bytes.byteLength > settings.maxFileBytes) {
    throw new ExtractionError(
      'file_too_large',
      `${name} is ${megabytes(input.bytes.byteLength)}; the limit is ${megabytes(settings.maxFileBytes)}.`,
      {
        hint: `Split the document into files under ${megabytes(settings.maxFileBytes)}, or raise the maxFileBytes limit.`,
      },
    );
  }
  const deadline = startDeadline(settings.timeBudgetMs);
  const format = detectFormat(input.bytes, input.filename, input.mediaType);
  try {
    switch (format) {
      case 'docx':
        return await extractDocx(input.bytes, settings, deadline);
      case 'pdf':
        return await extractPdf(input.bytes, settings, deadline);
      case 'markdown':
        return extractMarkdown(decodeText(input.bytes, name));
      case 'html':
        return extractHtml(decodeText(input.bytes, name), deadline);
      case 'text':
        return extractText(decodeText(input.bytes, name));
    }
  } catch (error) {
    if (error instanceof ExtractionError) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new ExtractionError('document_corrupt', `${name} could not be read: ${reason}`, {
      hint: 'The file may be damaged: open it in its application, save a new copy, and try again.',
      cause: error,
    });
  }
}

/**
 * Reads a document and splits it into review sections: {@link extractDocument}, then
 * {@link splitSections} with `maxSections` from the limits. This is the one call the CLI and
 * the SDK use to turn a file into something to review.
 *
 * @throws {ExtractionError} as {@link extractDocument}, and `too_many_sections`.
 */
export async function readDocument(
  input: DocumentInput,
  options: ReadDocumentOptions = {},
): Promise<ReadDocumentResult> {
  const limits = { ...DEFAULT_EXTRACTION_LIMITS, ...options.limits };
  const extracted = await extractDocument(input, limits);
  const reviewable = splitSections(extracted, {
    maxSections: limits.maxSections,
    ...options.sections,
  });
  return { ...reviewable, format: extracted.format, extracted };
}

function megabytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}
