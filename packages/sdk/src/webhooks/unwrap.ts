import type { z } from 'zod';
import { type WebhookEvent, WebhookEventSchema } from '../schema/events.js';
import { WEBHOOK_EVENT_TYPES } from '../schema/webhooks.js';
import { WebhookPayloadError } from './errors.js';
import type { WebhookHeaders } from './headers.js';
import { type VerifyWebhookOptions, verifyWebhook } from './verify.js';

const NOT_AN_EVENT_HINT =
  'The body is signed with your secret but is not a Prism event; do not share the secret.';
const UPGRADE_HINT =
  'Upgrade @prism/sdk to read this event, or acknowledge it after verifyWebhook() to skip it.';

/**
 * Verifies a webhook delivery (see {@link verifyWebhook}), then parses and validates its body:
 * the result is typed by its `type` (`review.completed`, `finding.accepted`, ...).
 *
 * @throws {WebhookVerificationError} when the delivery does not verify.
 * @throws {WebhookPayloadError} `webhook_invalid_payload` when the verified body is not JSON, has
 *   an event type this SDK does not know (the message names it), or breaks the event's schema
 *   (the message names each bad field).
 */
export function unwrapWebhook(
  payload: string | Uint8Array,
  headers: WebhookHeaders,
  secret: string | string[],
  options: VerifyWebhookOptions = {},
): WebhookEvent {
  verifyWebhook(payload, headers, secret, options);
  const body = parseJson(typeof payload === 'string' ? payload : new TextDecoder().decode(payload));
  const type =
    typeof body === 'object' && body !== null ? (body as { type?: unknown }).type : undefined;
  if (typeof type !== 'string') {
    throw new WebhookPayloadError('The webhook payload has no string "type" field.', {
      hint: NOT_AN_EVENT_HINT,
    });
  }
  if (!(WEBHOOK_EVENT_TYPES as readonly string[]).includes(type)) {
    throw new WebhookPayloadError(`Unknown webhook event type "${type}".`, { hint: UPGRADE_HINT });
  }
  const parsed = WebhookEventSchema.safeParse(body);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(describeIssue).join('; ');
    throw new WebhookPayloadError(`The ${type} webhook payload is invalid: ${problems}.`, {
      hint: UPGRADE_HINT,
      cause: parsed.error,
    });
  }
  return parsed.data;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new WebhookPayloadError('The webhook payload is not JSON.', {
      hint: NOT_AN_EVENT_HINT,
      cause,
    });
  }
}

/** `data.review.status: expected one of ...`, the field as a dotted path. */
function describeIssue(issue: z.core.$ZodIssue): string {
  const path = issue.path
    .map((key, index) =>
      typeof key === 'number' ? `[${key}]` : `${index > 0 ? '.' : ''}${String(key)}`,
    )
    .join('');
  return `${path || '(root)'}: ${issue.message.replace(/^Invalid input: /, '')}`;
}
