import { z } from 'zod';
import { pageOf, Timestamp } from './common.js';

/** The event types Prism sends to webhook endpoints. */
export const WEBHOOK_EVENT_TYPES = [
  'review.started',
  'review.progress',
  'review.completed',
  'review.failed',
  'finding.accepted',
  'finding.rejected',
  'document.ingested',
  'connection.created',
  'connection.revoked',
  'connection.needs_reauth',
  'connection.reauthorized',
] as const;

/** An event type Prism sends to webhook endpoints. */
export const WebhookEventTypeSchema = z.enum(WEBHOOK_EVENT_TYPES);
/** An event type Prism sends to webhook endpoints. */
export type WebhookEventType = z.infer<typeof WebhookEventTypeSchema>;

const WebhookSecretValue = z
  .string()
  .regex(/^whsec_[A-Za-z0-9+/=]+$/, 'must be whsec_ followed by base64');

/** A URL that receives signed events. */
export const WebhookEndpointSchema = z.object({
  id: z.string(),
  tenantId: z.string(),
  url: z.url(),
  description: z.string().nullable(),
  enabledEvents: z.array(WebhookEventTypeSchema),
  status: z.enum(['enabled', 'disabled']),
  disabledReason: z.string().nullable(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
/** A URL that receives signed events. */
export type WebhookEndpoint = z.infer<typeof WebhookEndpointSchema>;

/** A new webhook endpoint; no `enabledEvents` means all events. */
export const WebhookEndpointCreateSchema = z.strictObject({
  url: z.url(),
  description: z.string().max(500).optional(),
  enabledEvents: z.array(WebhookEventTypeSchema).optional(),
});
/** A new webhook endpoint. */
export type WebhookEndpointCreate = z.infer<typeof WebhookEndpointCreateSchema>;

/** Changes to a webhook endpoint; fields left out are kept. */
export const WebhookEndpointUpdateSchema = z
  .strictObject({
    url: z.url().optional(),
    description: z.string().max(500).nullable().optional(),
    enabledEvents: z.array(WebhookEventTypeSchema).optional(),
    status: z.enum(['enabled', 'disabled']).optional(),
  })
  .refine((value) => Object.keys(value).length > 0, 'must change at least one field');
/** Changes to a webhook endpoint. */
export type WebhookEndpointUpdate = z.infer<typeof WebhookEndpointUpdateSchema>;

/** A new endpoint and its signing secret (shown only once). */
export const WebhookEndpointWithSecretSchema = z.object({
  endpoint: WebhookEndpointSchema,
  secret: WebhookSecretValue,
});
/** A new endpoint and its signing secret. */
export type WebhookEndpointWithSecret = z.infer<typeof WebhookEndpointWithSecretSchema>;

/** How long the old secret stays valid after a rotation (default one day). */
export const WebhookSecretRotateSchema = z.strictObject({
  gracePeriodSeconds: z.int().min(0).max(604800).optional(),
});
/** How long the old secret stays valid after a rotation. */
export type WebhookSecretRotate = z.infer<typeof WebhookSecretRotateSchema>;

/** A new signing secret (shown only once). */
export const WebhookSecretSchema = z.object({
  secret: WebhookSecretValue,
  previousSecretExpiresAt: Timestamp.nullable(),
});
/** A new signing secret. */
export type WebhookSecret = z.infer<typeof WebhookSecretSchema>;

/** Where a delivery stands. */
export const WebhookDeliveryStatusSchema = z.enum(['pending', 'succeeded', 'failed', 'dead']);
/** Where a delivery stands. */
export type WebhookDeliveryStatus = z.infer<typeof WebhookDeliveryStatusSchema>;

/** One attempt to deliver an event. */
export const WebhookAttemptSchema = z.object({
  at: Timestamp,
  responseStatus: z.int().nullable(),
  durationMs: z.int().min(0),
  error: z.string().nullable(),
});
/** One attempt to deliver an event. */
export type WebhookAttempt = z.infer<typeof WebhookAttemptSchema>;

/** One event's delivery to one endpoint, with its attempts. */
export const WebhookDeliverySchema = z.object({
  id: z.string(),
  endpointId: z.string(),
  eventId: z.string(),
  eventType: WebhookEventTypeSchema,
  status: WebhookDeliveryStatusSchema,
  attempts: z.array(WebhookAttemptSchema),
  nextAttemptAt: Timestamp.nullable(),
  createdAt: Timestamp,
});
/** One event's delivery to one endpoint. */
export type WebhookDelivery = z.infer<typeof WebhookDeliverySchema>;

/** A page of webhook endpoints. */
export const WebhookEndpointListSchema = pageOf(WebhookEndpointSchema);
/** A page of webhook endpoints. */
export type WebhookEndpointList = z.infer<typeof WebhookEndpointListSchema>;

/** A page of webhook deliveries. */
export const WebhookDeliveryListSchema = pageOf(WebhookDeliverySchema);
/** A page of webhook deliveries. */
export type WebhookDeliveryList = z.infer<typeof WebhookDeliveryListSchema>;
