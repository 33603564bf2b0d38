import { createHash } from 'node:crypto';
import type { Document, Framework, Review, ReviewProgress } from '../schema/index.js';
import type { ResultCache } from './cache.js';
import { readDocument } from './extract/index.js';
import { MEDIA_TYPES } from './extract/media-types.js';
import { findingRecord } from './finding-record.js';
import { getBuiltInFramework } from './frameworks/load.js';
import type { Preference } from './learning.js';
import { startReview } from './orchestrator.js';
import { createRulesProvider } from './providers/rules/index.js';
import type { ReviewReport } from './report.js';
import type { ExtractionLimits, ReviewProvider } from './types.js';

/** A file to review. */
export interface ReviewBytesInput {
  /** The file's content. */
  bytes: Uint8Array;
  /** The file's name; its extension helps tell the format. */
  filename: string;
  /** The file's media type, when known. */
  mediaType?: string;
}

/** How {@link reviewBytes} reviews. Everything is optional. */
export interface ReviewBytesOptions {
  /** The framework (default: the built-in Hawkeye 20-point checklist). */
  framework?: Framework;
  /** The provider (default: the offline `rules` provider). */
  provider?: ReviewProvider;
  /** Past accept/reject decisions, to adjust findings (see learning). */
  preferences?: readonly Preference[];
  /** Sections reviewed at once (default 4). */
  concurrency?: number;
  /** Cancels the review. */
  signal?: AbortSignal;
  /** Reuses results of identical reviews. */
  cache?: ResultCache;
  /** Extraction limits (defaults in `DEFAULT_EXTRACTION_LIMITS`). */
  limits?: Partial<ExtractionLimits>;
  /** Called as sections finish. */
  onProgress?: (progress: ReviewProgress) => void;
  /** The tenant recorded on the records (default `local`). */
  tenantId?: string;
  /** Ids for the records; by default they are derived from the content, so reruns agree. */
  ids?: { document?: string; review?: string };
  /** The clock (default the system clock). */
  now?: () => Date;
}

/**
 * Reviews one file end to end — extract, split into sections, review every section and the
 * whole document, apply learning, score — and returns the records the API uses (document,
 * review, findings) with the framework.
 *
 * @throws {ExtractionError} when the file cannot be read or breaks a limit.
 * @throws {ReviewCanceledError} when `signal` aborts it.
 */
export async function reviewBytes(
  input: ReviewBytesInput,
  options: ReviewBytesOptions = {},
): Promise<ReviewReport> {
  const now = options.now ?? (() => new Date());
  const framework = options.framework ?? getBuiltInFramework('hawkeye-20');
  const provider = options.provider ?? createRulesProvider();
  const tenantId = options.tenantId ?? 'local';
  const createdAt = now().toISOString();

  const read = await readDocument(input, options.limits ? { limits: options.limits } : {});
  const sha256 = createHash('sha256').update(input.bytes).digest('hex');
  const documentId = options.ids?.document ?? `doc_${sha256.slice(0, 16)}`;
  const reviewId =
    options.ids?.review ??
    `rev_${digest(sha256, `${framework.id}@${framework.version}`, provider.id).slice(0, 16)}`;
  const document: Document = {
    id: documentId,
    tenantId,
    source: { kind: 'upload', ref: null, url: null, connectionId: null },
    filename: input.filename,
    mediaType: input.mediaType ?? MEDIA_TYPES[read.format],
    sizeBytes: input.bytes.byteLength,
    sha256,
    title: read.title,
    sections: read.sections,
    metadata: {},
    createdAt,
  };

  const run = startReview({
    document: { title: read.title, sections: read.sections },
    framework,
    provider,
    ...(options.concurrency === undefined ? {} : { concurrency: options.concurrency }),
    ...(options.signal === undefined ? {} : { signal: options.signal }),
    ...(options.cache === undefined ? {} : { cache: options.cache }),
    ...(options.preferences === undefined ? {} : { preferences: options.preferences }),
  });
  if (options.onProgress) run.on('progress', options.onProgress);
  const startedAt = now().toISOString();
  const result = await run.done();
  const completedAt = now().toISOString();

  const findings = result.findings.map((finding, index) =>
    findingRecord(finding, {
      id: `fnd_${digest(reviewId, String(index)).slice(0, 16)}`,
      reviewId,
      documentId,
      at: completedAt,
    }),
  );
  const review: Review = {
    id: reviewId,
    tenantId,
    documentId,
    framework: { id: framework.id, version: framework.version },
    model: provider.id,
    ...(provider.promptVersion === undefined ? {} : { promptVersion: provider.promptVersion }),
    ...(result.degraded === undefined ? {} : { degraded: result.degraded }),
    status: 'succeeded',
    progress: { sectionsDone: read.sections.length, sectionsTotal: read.sections.length },
    usage: { ...result.usage, costUsd: result.costUsd },
    summary: result.summary,
    error: null,
    metadata: {},
    createdAt,
    startedAt,
    completedAt,
  };
  return { document, review, findings, framework };
}

function digest(...parts: string[]): string {
  return createHash('sha256').update(parts.join('\0')).digest('hex');
}
