import { z } from 'zod';

/** An RFC 3339 date-time in UTC, as every timestamp on the wire is. */
export const Timestamp = z.iso.datetime({ offset: true });

/** A SHA-256 digest in lowercase hex. */
export const Sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lowercase hex characters');

/** A stable kebab-case key, as framework ids and item keys are. */
export const KebabKey = z
  .string()
  .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'must be kebab-case (a-z, 0-9 and single dashes)');

/** How much a finding matters. */
export const SeveritySchema = z.enum(['critical', 'major', 'minor', 'info']);
/** How much a finding matters. */
export type Severity = z.infer<typeof SeveritySchema>;

/** The overall risk a review assigns a document. */
export const RiskLevelSchema = z.enum(['low', 'medium', 'high', 'critical']);
/** The overall risk a review assigns a document. */
export type RiskLevel = z.infer<typeof RiskLevelSchema>;

/** Up to 20 string keys and values of the caller's own, stored and returned as given. */
export const MetadataSchema = z
  .record(z.string(), z.string().max(500))
  .refine((value) => Object.keys(value).length <= 20, 'must have at most 20 keys');
/** Up to 20 string keys and values of the caller's own. */
export type Metadata = z.infer<typeof MetadataSchema>;

/** A framework at one version. */
export const FrameworkRefSchema = z.object({ id: z.string(), version: z.string() });
/** A framework at one version. */
export type FrameworkRef = z.infer<typeof FrameworkRefSchema>;

/** One framework item a finding cites, by number and key. */
export const FrameworkItemRefSchema = z.object({ number: z.int().min(1), key: z.string() });
/** One framework item a finding cites. */
export type FrameworkItemRef = z.infer<typeof FrameworkItemRefSchema>;

/** Who did something: a user, an API key or Prism itself. */
export const ActorSchema = z.object({
  type: z.enum(['user', 'api_key', 'system']),
  id: z.string(),
  name: z.string().nullable(),
});
/** Who did something. */
export type Actor = z.infer<typeof ActorSchema>;

/** Model usage of a review or an answer; zero for the offline `rules` provider. */
export const UsageSchema = z.object({
  inputTokens: z.int().min(0),
  outputTokens: z.int().min(0),
  /** Estimated cost in US dollars; null when the model has no price (unknown, not free). */
  costUsd: z.number().min(0).nullable(),
  /** Input tokens read from the service's prompt cache (counted in `inputTokens`). */
  cacheReadInputTokens: z.int().min(0).optional(),
  /** Input tokens written to the service's prompt cache (counted in `inputTokens`). */
  cacheWriteInputTokens: z.int().min(0).optional(),
});
/** Model usage of a review or an answer. */
export type Usage = z.infer<typeof UsageSchema>;

/** One invalid field of a request. */
export const FieldErrorSchema = z.object({ path: z.string(), message: z.string() });
/** One invalid field of a request. */
export type FieldError = z.infer<typeof FieldErrorSchema>;

/** An RFC 9457 problem detail with Prism's extensions (`code`, `hint`, `requestId`, `errors`). */
export const ProblemSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.int(),
  detail: z.string().optional(),
  instance: z.string().optional(),
  code: z.string(),
  hint: z.string().optional(),
  requestId: z.string(),
  errors: z.array(FieldErrorSchema).optional(),
});
/** An RFC 9457 problem detail with Prism's extensions. */
export type Problem = z.infer<typeof ProblemSchema>;

/** A page of a list: the items, whether more follow, and the cursor of the next page. */
export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({ data: z.array(item), hasMore: z.boolean(), nextCursor: z.string().nullable() });
}
