import type { Client } from '@microsoft/microsoft-graph-client';
import {
  ExtractionError,
  type Metadata,
  type PrismApi,
  type PrismError,
  type ReviewReport,
  reviewFileWith,
  SUPPORTED_EXTENSIONS,
} from '@prism/sdk';
import { downloadFile } from './download-file.js';
import { SharePointFileError } from './file-error.js';
import { getFile, type SharePointFileRef } from './get-file.js';
import { DEFAULT_MAX_FILE_BYTES, isReviewable, type Reviewability } from './reviewable.js';
import type { SharePointFile } from './sharepoint-file.js';
import { sourceMetadata } from './source-metadata.js';

/** How {@link reviewSharePointFile} reviews a file. Everything is optional. */
export interface ReviewSharePointFileOptions {
  /** The framework id, optionally `@version` (default: the Prism client's default). */
  framework?: string;
  /** The model (default: the Prism client's default). */
  model?: string;
  /** Keys and values of your own, stored on the document beside its source. */
  metadata?: Metadata;
  /** The largest file to take, in bytes. Default {@link DEFAULT_MAX_FILE_BYTES} (25 MB). */
  maxBytes?: number;
  /** Aborts the Graph requests, the upload or the wait, and cancels the review if it has started. */
  signal?: AbortSignal;
}

/** A finished review of a SharePoint or OneDrive file: Prism's report, and the file it is of. */
export interface SharePointReviewReport extends ReviewReport {
  /** The file reviewed, as Graph described it. */
  file: SharePointFile;
}

/**
 * Reviews one SharePoint or OneDrive file, named by its drive and item ids or by any link to it,
 * and waits for the review: the file's details are read ({@link getFile}), a file Prism cannot
 * take is refused before anything is downloaded ({@link isReviewable}), then the content is
 * downloaded ({@link downloadFile}), uploaded as a document whose metadata names its source
 * (`sourceKind` `sharepoint`, `sourceRef` `{driveId}/{itemId}`, `sourceUrl` when it fits; these
 * keys win over the same keys in `metadata`), and reviewed. Returns what `prism.reviewFile`
 * returns, plus the file.
 *
 * @example
 * ```ts
 * const client = createGraphClient({ accessToken: async () => token });
 * const { file, review, findings } = await reviewSharePointFile(Prism.local(), client, {
 *   sharingUrl: 'https://contoso.sharepoint.com/:w:/s/Legal/EbXy...',
 * });
 * console.log(file.name, review.summary?.score, findings.length);
 * ```
 *
 * @throws {ExtractionError} `unsupported_format` or `legacy_format` for a file Prism does not
 *   read, before any download.
 * @throws {SharePointFileError} `file_too_large` over `maxBytes` (before any download when the
 *   file's details say so), `not_a_file` for a folder or a OneNote notebook.
 * @throws {GraphFailure} `item_not_found` for a link or ids that lead nowhere, `access_denied`...
 * @throws {ReviewFailedError} when the review fails or is canceled.
 */
export async function reviewSharePointFile(
  prism: PrismApi,
  client: Client,
  ref: SharePointFileRef,
  options: ReviewSharePointFileOptions = {},
): Promise<SharePointReviewReport> {
  const { signal } = options;
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_FILE_BYTES;
  const file = await getFile(client, ref, { signal });
  const reviewability = isReviewable(file, { maxBytes });
  if (!reviewability.ok) throw refusal(reviewability);
  const bytes = await downloadFile(client, file, { maxBytes, signal });
  const report = await reviewFileWith(prism, bytes, {
    filename: file.name,
    metadata: { ...options.metadata, ...sourceMetadata(file) },
    ...(options.framework === undefined ? {} : { framework: options.framework }),
    ...(options.model === undefined ? {} : { model: options.model }),
    ...(signal === undefined ? {} : { signal }),
  });
  return { file, ...report };
}

/** The error that refuses a file {@link isReviewable} turned down, with what to do about it. */
function refusal(reviewability: Exclude<Reviewability, { ok: true }>): PrismError {
  const { reason, message } = reviewability;
  switch (reason) {
    case 'file_too_large':
      return new SharePointFileError(reason, message, {
        hint: 'Split the document, or remove embedded media (images, attachments) to make it smaller.',
      });
    case 'legacy_format':
      return new ExtractionError(reason, message, {
        hint: 'Open it in Word or LibreOffice, save it as .docx (Word Document), and try again.',
      });
    case 'unsupported_format':
      return new ExtractionError(reason, message, {
        hint: `Prism reads ${SUPPORTED_EXTENSIONS.join(', ')} files; convert the document to one of them.`,
      });
  }
}
