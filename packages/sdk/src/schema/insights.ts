import { z } from 'zod';
import { FrameworkItemRefSchema, pageOf, Timestamp } from './common.js';
import { SeverityCountsSchema } from './reviews.js';

/** Where a pattern occurred. */
export const PatternOccurrenceSchema = z.object({
  documentId: z.string(),
  reviewId: z.string(),
  findingIds: z.array(z.string()),
});
/** Where a pattern occurred. */
export type PatternOccurrence = z.infer<typeof PatternOccurrenceSchema>;

/** A finding of the same framework item and category seen in several documents. */
export const PatternSchema = z.object({
  frameworkItem: FrameworkItemRefSchema,
  category: z.string(),
  title: z.string(),
  findingCount: z.int().min(1),
  documentCount: z.int().min(1),
  occurrences: z.array(PatternOccurrenceSchema),
});
/** A recurring finding. */
export type Pattern = z.infer<typeof PatternSchema>;

/** A page of patterns. */
export const PatternListSchema = pageOf(PatternSchema);
/** A page of patterns. */
export type PatternList = z.infer<typeof PatternListSchema>;

/** Aggregate numbers over reviews and findings in a period. */
export const StatsSchema = z.object({
  from: Timestamp,
  to: Timestamp,
  reviews: z.object({
    total: z.int().min(0),
    byStatus: z.object({
      queued: z.int(),
      running: z.int(),
      succeeded: z.int(),
      failed: z.int(),
      canceled: z.int(),
    }),
  }),
  findings: z.object({
    total: z.int().min(0),
    bySeverity: SeverityCountsSchema,
    byStatus: z.object({
      open: z.int(),
      accepted: z.int(),
      rejected: z.int(),
      resolved: z.int(),
    }),
  }),
  acceptanceRate: z.number().min(0).max(1).nullable(),
  averageScore: z.number().min(0).max(100).nullable(),
});
/** Aggregate numbers over reviews and findings in a period. */
export type Stats = z.infer<typeof StatsSchema>;
