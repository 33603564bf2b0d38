import { z } from 'zod';
import { UsageSchema } from './common.js';

/** One earlier turn of a conversation. */
export const ChatMessageSchema = z.object({
  role: z.enum(['user', 'assistant']),
  content: z.string().max(20000),
});
/** One earlier turn of a conversation. */
export type ChatMessage = z.infer<typeof ChatMessageSchema>;

/** A question about one document or review: exactly one of `documentId` and `reviewId`. */
export const ChatRequestSchema = z
  .strictObject({
    documentId: z.string().optional(),
    reviewId: z.string().optional(),
    question: z.string().min(1).max(4000),
    history: z.array(ChatMessageSchema).max(50).optional(),
  })
  .refine(
    (value) => (value.documentId === undefined) !== (value.reviewId === undefined),
    'must have exactly one of documentId and reviewId',
  );
/** A question about one document or review. */
export type ChatRequest = z.infer<typeof ChatRequestSchema>;

/** A section an answer relies on. */
export const CitationSchema = z.object({
  sectionIndex: z.int().min(0),
  heading: z.string().nullable(),
  quote: z.string(),
});
/** A section an answer relies on. */
export type Citation = z.infer<typeof CitationSchema>;

/** An answer with citations to the document's sections. */
export const ChatAnswerSchema = z.object({
  answer: z.string(),
  citations: z.array(CitationSchema),
  model: z.string(),
  usage: UsageSchema,
});
/** An answer with citations. */
export type ChatAnswer = z.infer<typeof ChatAnswerSchema>;

/** One server-sent event of a streamed answer: text deltas, then one `done` with the full answer. */
export const ChatStreamEventSchema = z.object({
  type: z.enum(['delta', 'done']),
  text: z.string().optional(),
  answer: ChatAnswerSchema.optional(),
});
/** One server-sent event of a streamed answer. */
export type ChatStreamEvent = z.infer<typeof ChatStreamEventSchema>;
