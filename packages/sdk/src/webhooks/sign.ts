import { PrismError } from '../errors.js';
import { signersFor } from './secret.js';

/** What {@link signWebhook} signs. */
export interface SignWebhookInput {
  /** The event's unique id (`msg_...`), the same on every retry of one event. */
  id: string;
  /** When this attempt is signed (sent as Unix seconds). */
  timestamp: Date;
  /** The exact body that will be sent. */
  payload: string;
  /** The endpoint's `whsec_` secret, or several during a rotation (one signature each). */
  secrets: string | string[];
}

/** The Standard Webhooks headers of one delivery. */
export type WebhookSignatureHeaders = {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
};

/**
 * Signs a webhook delivery (the sending side): the headers to send with `payload`, with one
 * `v1,<signature>` per secret, space-separated.
 *
 * @throws {WebhookVerificationError} `webhook_invalid_secret` for a missing or malformed secret.
 * @throws {PrismError} `invalid_argument` for an empty id or an invalid date.
 */
export function signWebhook(input: SignWebhookInput): WebhookSignatureHeaders {
  const signers = signersFor(input.secrets);
  if (input.id === '') {
    throw new PrismError('invalid_argument', 'The webhook id is empty.', {
      hint: 'Give each event a unique id such as msg_<random>, kept across retries.',
    });
  }
  const seconds = Math.floor(input.timestamp.getTime() / 1000);
  if (!Number.isFinite(seconds) || seconds < 0) {
    throw new PrismError('invalid_argument', 'The webhook timestamp is not a valid date.', {
      hint: 'Pass the time of this attempt, e.g. new Date().',
    });
  }
  return {
    'webhook-id': input.id,
    'webhook-timestamp': String(seconds),
    'webhook-signature': signers
      .map((signer) => signer.sign(input.id, input.timestamp, input.payload))
      .join(' '),
  };
}
