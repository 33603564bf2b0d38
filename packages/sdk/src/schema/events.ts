import { z } from 'zod';
import { Timestamp } from './common.js';
import { ConnectionSchema } from './connections.js';
import { DocumentSourceSchema } from './documents.js';
import { FindingSchema } from './findings.js';
import { ReviewProgressSchema, ReviewSchema } from './reviews.js';

/** A webhook payload in the Standard Webhooks shape: `{ type, timestamp, data }`. */
function eventOf<const T extends string, D extends z.ZodRawShape>(type: T, data: D) {
  return z.object({ type: z.literal(type), timestamp: Timestamp, data: z.object(data) });
}

/** The payload of `review.started`. */
export const ReviewStartedEventSchema = eventOf('review.started', { review: ReviewSchema });
/** The payload of `review.started`. */
export type ReviewStartedEvent = z.infer<typeof ReviewStartedEventSchema>;

/** The payload of `review.progress`. */
export const ReviewProgressEventSchema = eventOf('review.progress', {
  reviewId: z.string(),
  documentId: z.string(),
  progress: ReviewProgressSchema,
});
/** The payload of `review.progress`. */
export type ReviewProgressEvent = z.infer<typeof ReviewProgressEventSchema>;

/** The payload of `review.completed` (at most 500 findings; list the rest through the API). */
export const ReviewCompletedEventSchema = eventOf('review.completed', {
  review: ReviewSchema,
  findings: z.array(FindingSchema),
});
/** The payload of `review.completed`. */
export type ReviewCompletedEvent = z.infer<typeof ReviewCompletedEventSchema>;

/** The payload of `review.failed`. */
export const ReviewFailedEventSchema = eventOf('review.failed', { review: ReviewSchema });
/** The payload of `review.failed`. */
export type ReviewFailedEvent = z.infer<typeof ReviewFailedEventSchema>;

/** The payload of `finding.accepted`. */
export const FindingAcceptedEventSchema = eventOf('finding.accepted', { finding: FindingSchema });
/** The payload of `finding.accepted`. */
export type FindingAcceptedEvent = z.infer<typeof FindingAcceptedEventSchema>;

/** The payload of `finding.rejected`. */
export const FindingRejectedEventSchema = eventOf('finding.rejected', { finding: FindingSchema });
/** The payload of `finding.rejected`. */
export type FindingRejectedEvent = z.infer<typeof FindingRejectedEventSchema>;

/** The payload of `document.ingested` (the document without its section texts). */
export const DocumentIngestedEventSchema = eventOf('document.ingested', {
  documentId: z.string(),
  filename: z.string(),
  source: DocumentSourceSchema,
  sectionCount: z.int().min(0),
});
/** The payload of `document.ingested`. */
export type DocumentIngestedEvent = z.infer<typeof DocumentIngestedEventSchema>;

/** The payload of `connection.created`. */
export const ConnectionCreatedEventSchema = eventOf('connection.created', {
  connection: ConnectionSchema,
});
/** The payload of `connection.created`. */
export type ConnectionCreatedEvent = z.infer<typeof ConnectionCreatedEventSchema>;

/** The payload of `connection.revoked`. */
export const ConnectionRevokedEventSchema = eventOf('connection.revoked', {
  connection: ConnectionSchema,
});
/** The payload of `connection.revoked`. */
export type ConnectionRevokedEvent = z.infer<typeof ConnectionRevokedEventSchema>;

/** The payload of `connection.needs_reauth`. */
export const ConnectionNeedsReauthEventSchema = eventOf('connection.needs_reauth', {
  connection: ConnectionSchema,
});
/** The payload of `connection.needs_reauth`. */
export type ConnectionNeedsReauthEvent = z.infer<typeof ConnectionNeedsReauthEventSchema>;

/** The payload of `connection.reauthorized`. */
export const ConnectionReauthorizedEventSchema = eventOf('connection.reauthorized', {
  connection: ConnectionSchema,
});
/** The payload of `connection.reauthorized`. */
export type ConnectionReauthorizedEvent = z.infer<typeof ConnectionReauthorizedEventSchema>;

/** Any webhook payload Prism sends, told apart by `type`. */
export const WebhookEventSchema = z.discriminatedUnion('type', [
  ReviewStartedEventSchema,
  ReviewProgressEventSchema,
  ReviewCompletedEventSchema,
  ReviewFailedEventSchema,
  FindingAcceptedEventSchema,
  FindingRejectedEventSchema,
  DocumentIngestedEventSchema,
  ConnectionCreatedEventSchema,
  ConnectionRevokedEventSchema,
  ConnectionNeedsReauthEventSchema,
  ConnectionReauthorizedEventSchema,
]);
/** Any webhook payload Prism sends. */
export type WebhookEvent = z.infer<typeof WebhookEventSchema>;
