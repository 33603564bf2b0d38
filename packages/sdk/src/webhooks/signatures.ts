import type { WebhookEvent } from '../schema/events.js';
import type { WebhookHeaders } from './headers.js';
import { type SignWebhookInput, signWebhook, type WebhookSignatureHeaders } from './sign.js';
import { unwrapWebhook } from './unwrap.js';
import { type VerifyWebhookOptions, verifyWebhook } from './verify.js';

/**
 * The part of `prism.webhooks` that runs in-process on either transport: checking received
 * deliveries and signing outgoing ones (see {@link verifyWebhook}, {@link unwrapWebhook} and
 * {@link signWebhook}).
 */
export class WebhookSignatures {
  /** Checks a received delivery's signature and timestamp (throws when they are wrong). */
  verify(
    payload: string | Uint8Array,
    headers: WebhookHeaders,
    secret: string | string[],
    options?: VerifyWebhookOptions,
  ): void {
    verifyWebhook(payload, headers, secret, options);
  }

  /** Checks a received delivery and returns its typed event. */
  unwrap(
    payload: string | Uint8Array,
    headers: WebhookHeaders,
    secret: string | string[],
    options?: VerifyWebhookOptions,
  ): WebhookEvent {
    return unwrapWebhook(payload, headers, secret, options);
  }

  /** The signature headers of a delivery (what a server sends). */
  sign(input: SignWebhookInput): WebhookSignatureHeaders {
    return signWebhook(input);
  }
}
