import { z } from 'zod';
import { MetadataSchema, pageOf, Sha256Hex, Timestamp } from './common.js';

/** Where a document came from. */
export const DocumentSourceKindSchema = z.enum([
  'upload',
  'sharepoint',
  'salesforce',
  'slack',
  'teams',
]);
/** Where a document came from. */
export type DocumentSourceKind = z.infer<typeof DocumentSourceKindSchema>;

/** Where a document came from, and how to find it there again. */
export const DocumentSourceSchema = z.object({
  kind: DocumentSourceKindSchema,
  ref: z.string().nullable(),
  url: z.string().nullable(),
  connectionId: z.string().nullable(),
});
/** Where a document came from, and how to find it there again. */
export type DocumentSource = z.infer<typeof DocumentSourceSchema>;

/** A place in the original file, so findings can be written back there. */
export const AnchorSchema = z.object({
  block: z.int().min(0),
  page: z.int().min(1).nullable(),
});
/** A place in the original file. */
export type Anchor = z.infer<typeof AnchorSchema>;

/** One section of a document, as the review sees it. */
export const SectionSchema = z.object({
  index: z.int().min(0),
  heading: z.string().nullable(),
  level: z.int().min(0).max(9),
  text: z.string(),
  anchors: z.array(AnchorSchema),
});
/** One section of a document. */
export type Section = z.infer<typeof SectionSchema>;

/** A document Prism has stored and split into sections. */
export const DocumentSchema = z.object({
  id: z.string(),
  tenantId: z.string(),
  source: DocumentSourceSchema,
  filename: z.string(),
  mediaType: z.string(),
  sizeBytes: z.int().min(0),
  sha256: Sha256Hex,
  title: z.string().nullable(),
  sections: z.array(SectionSchema),
  metadata: MetadataSchema,
  createdAt: Timestamp,
});
/** A document Prism has stored and split into sections. */
export type Document = z.infer<typeof DocumentSchema>;

/** The fields of a multipart upload (the `file` part travels as a form field). */
export const DocumentUploadSchema = z.object({
  file: z.string(),
  title: z.string().optional(),
});
/** The fields of a multipart upload. */
export type DocumentUpload = z.infer<typeof DocumentUploadSchema>;

/** A document's bytes in base64. */
export const DocumentContentCreateSchema = z.strictObject({
  filename: z.string().min(1).max(255),
  contentBase64: z.base64(),
  mediaType: z.string().optional(),
  title: z.string().optional(),
  metadata: MetadataSchema.optional(),
});
/** A document's bytes in base64. */
export type DocumentContentCreate = z.infer<typeof DocumentContentCreateSchema>;

/** A document fetched from a connected system. */
export const DocumentSourceCreateSchema = z.strictObject({
  source: z.strictObject({ connectionId: z.string(), url: z.url() }),
  title: z.string().optional(),
  metadata: MetadataSchema.optional(),
});
/** A document fetched from a connected system. */
export type DocumentSourceCreate = z.infer<typeof DocumentSourceCreateSchema>;

/** A document given as base64 content or as a reference in a connected system. */
export const DocumentCreateSchema = z.union([
  DocumentContentCreateSchema,
  DocumentSourceCreateSchema,
]);
/** A document given as base64 content or as a reference in a connected system. */
export type DocumentCreate = z.infer<typeof DocumentCreateSchema>;

/** A page of documents. */
export const DocumentListSchema = pageOf(DocumentSchema);
/** A page of documents. */
export type DocumentList = z.infer<typeof DocumentListSchema>;
