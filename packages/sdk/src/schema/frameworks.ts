import { z } from 'zod';
import { KebabKey, pageOf, SeveritySchema, Timestamp } from './common.js';

/** One item of a framework's checklist. */
export const FrameworkItemSchema = z.object({
  number: z.int().min(1),
  key: KebabKey,
  title: z.string().min(1),
  checks: z.string().min(1),
  defaultSeverity: SeveritySchema,
});
/** One item of a framework's checklist. */
export type FrameworkItem = z.infer<typeof FrameworkItemSchema>;

/** A review framework at one version. */
export const FrameworkSchema = z.object({
  id: KebabKey,
  version: z.string(),
  name: z.string(),
  description: z.string(),
  items: z.array(FrameworkItemSchema).min(1),
  builtIn: z.boolean(),
  createdAt: Timestamp,
});
/** A review framework at one version. */
export type Framework = z.infer<typeof FrameworkSchema>;

/** A custom framework to create. */
export const FrameworkCreateSchema = z.strictObject({
  id: KebabKey.max(64),
  version: z.string().regex(/^[0-9]+\.[0-9]+\.[0-9]+$/, 'must be a version like 1.0.0'),
  name: z.string().min(1).max(200),
  description: z.string().max(2000).optional(),
  items: z.array(FrameworkItemSchema).min(1).max(200),
});
/** A custom framework to create. */
export type FrameworkCreate = z.infer<typeof FrameworkCreateSchema>;

/** A page of frameworks. */
export const FrameworkListSchema = pageOf(FrameworkSchema);
/** A page of frameworks. */
export type FrameworkList = z.infer<typeof FrameworkListSchema>;
