import { z } from 'zod';
import {
  FrameworkRefSchema,
  MetadataSchema,
  pageOf,
  RiskLevelSchema,
  Sha256Hex,
  Timestamp,
  UsageSchema,
} from './common.js';
import { FindingSchema } from './findings.js';

/** Where a review is in its life. */
export const ReviewStatusSchema = z.enum(['queued', 'running', 'succeeded', 'failed', 'canceled']);
/** Where a review is in its life. */
export type ReviewStatus = z.infer<typeof ReviewStatusSchema>;

/** Sections reviewed so far. */
export const ReviewProgressSchema = z.object({
  sectionsDone: z.int().min(0),
  sectionsTotal: z.int().min(0),
});
/** Sections reviewed so far. */
export type ReviewProgress = z.infer<typeof ReviewProgressSchema>;

/** Number of findings per severity. */
export const SeverityCountsSchema = z.object({
  critical: z.int().min(0),
  major: z.int().min(0),
  minor: z.int().min(0),
  info: z.int().min(0),
});
/** Number of findings per severity. */
export type SeverityCounts = z.infer<typeof SeverityCountsSchema>;

/** The outcome of a finished review: score 0-100, risk level and counts. */
export const ReviewSummarySchema = z.object({
  score: z.int().min(0).max(100),
  riskLevel: RiskLevelSchema,
  counts: SeverityCountsSchema,
});
/** The outcome of a finished review. */
export type ReviewSummary = z.infer<typeof ReviewSummarySchema>;

/** Why a review failed. */
export const ReviewErrorSchema = z.object({ code: z.string(), message: z.string() });
/** Why a review failed. */
export type ReviewError = z.infer<typeof ReviewErrorSchema>;

/** A review of one document against one framework. */
export const ReviewSchema = z.object({
  id: z.string(),
  tenantId: z.string(),
  documentId: z.string(),
  framework: FrameworkRefSchema,
  model: z.string(),
  /** The version of the prompts a model reviewed with; absent for `rules`. */
  promptVersion: z.string().optional(),
  /** Why part of the review is not the chosen model's own; absent when it all is. */
  degraded: z.string().optional(),
  status: ReviewStatusSchema,
  progress: ReviewProgressSchema,
  usage: UsageSchema,
  summary: ReviewSummarySchema.nullable(),
  error: ReviewErrorSchema.nullable(),
  metadata: MetadataSchema,
  createdAt: Timestamp,
  startedAt: Timestamp.nullable(),
  completedAt: Timestamp.nullable(),
});
/** A review of one document against one framework. */
export type Review = z.infer<typeof ReviewSchema>;

/** What to review, and how. */
export const ReviewCreateSchema = z.strictObject({
  documentId: z.string(),
  framework: z.string().optional(),
  model: z.string().optional(),
  metadata: MetadataSchema.optional(),
});
/** What to review, and how. */
export type ReviewCreate = z.infer<typeof ReviewCreateSchema>;

/** A page of reviews. */
export const ReviewListSchema = pageOf(ReviewSchema);
/** A page of reviews. */
export type ReviewList = z.infer<typeof ReviewListSchema>;

/** One server-sent event of a review's stream. */
export const ReviewStreamEventSchema = z.object({
  type: z.enum(['progress', 'finding', 'completed', 'failed', 'canceled']),
  review: ReviewSchema,
  finding: FindingSchema.optional(),
});
/** One server-sent event of a review's stream. */
export type ReviewStreamEvent = z.infer<typeof ReviewStreamEventSchema>;

/** A review export format. */
export const ExportFormatSchema = z.enum(['json', 'markdown', 'sarif', 'docx']);
/** A review export format. */
export type ExportFormat = z.infer<typeof ExportFormatSchema>;

/** A review with its document and findings, as `format=json` exports it. */
export const ReviewExportSchema = z.object({
  document: z.object({
    id: z.string(),
    filename: z.string(),
    title: z.string().nullable(),
    sha256: Sha256Hex,
  }),
  review: ReviewSchema,
  framework: FrameworkRefSchema,
  findings: z.array(FindingSchema),
});
/** A review with its document and findings. */
export type ReviewExport = z.infer<typeof ReviewExportSchema>;
