import type { CallOptions, ExportFile, ExportsApi } from '../api/types.js';
import { toDocxWithComments } from '../engine/export/docx.js';
import { toJsonExport } from '../engine/export/json.js';
import { toMarkdown } from '../engine/export/markdown.js';
import { toSarif } from '../engine/export/sarif.js';
import { MEDIA_TYPES } from '../engine/extract/media-types.js';
import type { ReviewReport } from '../engine/report.js';
import { type ExportFormat, ExportFormatSchema } from '../schema/index.js';
import type { LocalContext } from './context.js';
import { findFramework } from './frameworks.js';
import { allRows } from './paging.js';
import { conflict, notFound, type Operation, problem } from './problems.js';
import { toFinding } from './rows.js';
import { parseInput } from './validate.js';

const CONTENT_TYPES: Readonly<Record<ExportFormat, string>> = {
  json: 'application/json',
  markdown: 'text/markdown',
  sarif: 'application/sarif+json',
  docx: MEDIA_TYPES.docx,
};

const EXTENSIONS: Readonly<Record<ExportFormat, string>> = {
  json: 'review.json',
  markdown: 'review.md',
  sarif: 'sarif',
  docx: 'reviewed.docx',
};

/** Media types whose bytes are the text SARIF regions point into. */
const TEXT_TYPES = new Set([MEDIA_TYPES.markdown, MEDIA_TYPES.text, MEDIA_TYPES.html]);

/** The name of a review's export: the document's base name, then `.review.md`, `.sarif`... */
export function exportFilename(documentFilename: string, format: ExportFormat): string {
  const base = documentFilename.replace(/\.[^.]+$/, '') || 'document';
  return `${base}.${EXTENSIONS[format]}`;
}

/** `prism.exports` in-process: the same files a server exports, made by the engine. */
export class LocalExports implements ExportsApi {
  readonly #context: LocalContext;

  constructor(context: LocalContext) {
    this.#context = context;
  }

  async get(reviewId: string, format: ExportFormat, _options?: CallOptions): Promise<ExportFile> {
    const operation: Operation = { method: 'GET', path: `/v2/reviews/${reviewId}/export` };
    const checked = parseInput(operation, ExportFormatSchema, format);
    const report = await this.#report(operation, reviewId);
    const { document } = report;
    const original = await this.#context.store.contents.get(this.#context.tenantId, document.id);
    let body: Uint8Array;
    if (checked === 'docx') {
      if (document.mediaType !== MEDIA_TYPES.docx || !original) {
        throw problem(
          operation,
          400,
          'export_format_unsupported',
          `A docx export needs a .docx document; ${document.filename} is ${document.mediaType}.`,
          'Export this review as markdown, json or sarif instead.',
        );
      }
      body = toDocxWithComments(original, report);
    } else {
      body = new TextEncoder().encode(this.#text(checked, report, original));
    }
    return {
      format: checked,
      contentType: CONTENT_TYPES[checked],
      filename: exportFilename(document.filename, checked),
      body,
    };
  }

  #text(
    format: Exclude<ExportFormat, 'docx'>,
    report: ReviewReport,
    original?: Uint8Array,
  ): string {
    if (format === 'json') return JSON.stringify(toJsonExport(report), null, 2);
    if (format === 'markdown') return toMarkdown(report);
    const sourceText =
      original && TEXT_TYPES.has(report.document.mediaType)
        ? new TextDecoder().decode(original)
        : undefined;
    const entry = {
      report,
      uri: report.document.filename,
      ...(sourceText === undefined ? {} : { sourceText }),
    };
    return JSON.stringify(toSarif([entry]), null, 2);
  }

  /** Everything a finished review's exports are made of. */
  async #report(operation: Operation, reviewId: string): Promise<ReviewReport> {
    const { store, tenantId } = this.#context;
    const review = await store.reviews.get(tenantId, reviewId);
    if (!review) throw notFound(operation, 'review', reviewId);
    if (review.status !== 'succeeded') {
      throw conflict(
        operation,
        'review_not_finished',
        `Review ${reviewId} is ${review.status}; only succeeded reviews are exported.`,
        'Wait for the review to succeed (`await review.done()`), then export it.',
      );
    }
    const document = await store.documents.get(tenantId, review.documentId);
    const framework = await findFramework(
      this.#context,
      review.framework.id,
      review.framework.version,
    );
    if (!document || !framework) throw notFound(operation, 'review', reviewId);
    const findings = (await allRows(store.findings, tenantId, { reviewId })).map(toFinding);
    return { document, review, findings, framework };
  }
}
