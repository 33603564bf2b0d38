import { z } from 'zod';
import {
  ActorSchema,
  FrameworkItemRefSchema,
  pageOf,
  SeveritySchema,
  Timestamp,
} from './common.js';

/** Where a finding stands with the people who read it. */
export const FindingStatusSchema = z.enum(['open', 'accepted', 'rejected', 'resolved']);
/** Where a finding stands with the people who read it. */
export type FindingStatus = z.infer<typeof FindingStatusSchema>;

/** Who raised a finding. */
export const FindingOriginSchema = z.enum(['rule', 'ai', 'human']);
/** Who raised a finding. */
export type FindingOrigin = z.infer<typeof FindingOriginSchema>;

/** A person's accept or reject decision on a finding. */
export const DecisionSchema = z.object({
  outcome: z.enum(['accepted', 'rejected']),
  by: ActorSchema,
  at: Timestamp,
  reason: z.string().nullable(),
});
/** A person's accept or reject decision on a finding. */
export type Decision = z.infer<typeof DecisionSchema>;

/** How learning from past decisions changed a finding, and why. */
export const AdjustmentSchema = z.object({
  originalSeverity: SeveritySchema,
  reason: z.string(),
});
/** How learning from past decisions changed a finding, and why. */
export type Adjustment = z.infer<typeof AdjustmentSchema>;

/** Something a review found, with the evidence and what to do about it. */
export const FindingSchema = z.object({
  id: z.string(),
  reviewId: z.string(),
  documentId: z.string(),
  sectionIndex: z.int().min(0).nullable(),
  frameworkItems: z.array(FrameworkItemRefSchema).min(1),
  severity: SeveritySchema,
  category: z.string(),
  title: z.string(),
  description: z.string(),
  suggestion: z.string(),
  quote: z.string().nullable(),
  confidence: z.number().min(0).max(1),
  origin: FindingOriginSchema,
  status: FindingStatusSchema,
  decision: DecisionSchema.nullable(),
  adjustment: AdjustmentSchema.nullable(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
/** Something a review found. */
export type Finding = z.infer<typeof FindingSchema>;

/** A reviewer's own finding (`category` defaults to `reviewer-note`). */
export const FindingCreateSchema = z.strictObject({
  sectionIndex: z.int().min(0).nullable().optional(),
  frameworkItems: z.array(FrameworkItemRefSchema).min(1),
  severity: SeveritySchema,
  category: z.string().optional(),
  title: z.string().min(1).max(200),
  description: z.string().min(1).max(5000),
  suggestion: z.string().max(5000).optional(),
  quote: z.string().max(2000).optional(),
});
/** A reviewer's own finding. */
export type FindingCreate = z.infer<typeof FindingCreateSchema>;

/** Changes to a finding; fields left out are kept. */
export const FindingUpdateSchema = z
  .strictObject({
    severity: SeveritySchema.optional(),
    title: z.string().min(1).max(200).optional(),
    description: z.string().min(1).max(5000).optional(),
    suggestion: z.string().max(5000).optional(),
    status: z.enum(['open', 'resolved']).optional(),
  })
  .refine((value) => Object.keys(value).length > 0, 'must change at least one field');
/** Changes to a finding. */
export type FindingUpdate = z.infer<typeof FindingUpdateSchema>;

/** An optional note on an accept decision. */
export const FindingAcceptSchema = z.strictObject({ reason: z.string().max(2000).optional() });
/** An optional note on an accept decision. */
export type FindingAccept = z.infer<typeof FindingAcceptSchema>;

/** Why a finding is rejected; the reason teaches Prism. */
export const FindingRejectSchema = z.strictObject({ reason: z.string().min(1).max(2000) });
/** Why a finding is rejected. */
export type FindingReject = z.infer<typeof FindingRejectSchema>;

/** A page of findings. */
export const FindingListSchema = pageOf(FindingSchema);
/** A page of findings. */
export type FindingList = z.infer<typeof FindingListSchema>;
