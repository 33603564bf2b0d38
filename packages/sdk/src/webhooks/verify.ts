import { timingSafeEqual } from 'standardwebhooks/dist/timing_safe_equal.js';
import { PrismError } from '../errors.js';
import { WebhookVerificationError } from './errors.js';
import { readWebhookHeaders, type WebhookHeaders } from './headers.js';
import { signersFor } from './secret.js';

/** Options of {@link verifyWebhook} and `unwrapWebhook`. */
export interface VerifyWebhookOptions {
  /**
   * How far `webhook-timestamp` may be from now, in seconds, either way (default 300). Older
   * deliveries are refused as replays; `Infinity` turns the check off.
   */
  toleranceSeconds?: number;
  /** The clock to check `webhook-timestamp` against (default: the system clock). */
  now?: () => Date;
}

/** The default timestamp tolerance, 5 minutes, as in the Standard Webhooks specification. */
export const DEFAULT_WEBHOOK_TOLERANCE_SECONDS = 300;

const RAW_BODY_HINT =
  "Check that you pass the raw request body, not re-serialised JSON, and the endpoint's secret.";
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const encoder = new TextEncoder();

/**
 * Checks that a webhook delivery was signed by Prism (Standard Webhooks: HMAC-SHA256 over
 * `id.timestamp.body`) with one of `secret`, and is recent. Several `v1,<signature>` entries in
 * `webhook-signature` are accepted (one matching is enough; other versions are ignored), and so
 * are several secrets, for a rotation. Signatures are compared in constant time.
 *
 * @param payload The raw request body, exactly as received.
 * @param headers The request headers; names are matched case-insensitively.
 * @param secret The endpoint's `whsec_` secret, or several during a rotation.
 * @throws {WebhookVerificationError} with code `webhook_missing_headers`,
 *   `webhook_invalid_signature`, `webhook_timestamp_too_old`, `webhook_timestamp_too_new` or
 *   `webhook_invalid_secret`.
 */
export function verifyWebhook(
  payload: string | Uint8Array,
  headers: WebhookHeaders,
  secret: string | string[],
  options: VerifyWebhookOptions = {},
): void {
  const signers = signersFor(secret);
  const { id, timestamp, signatures } = readWebhookHeaders(headers);
  const signedAt = checkTimestamp(timestamp, options);
  const body = decodeBody(payload);
  const received = signatures
    .filter((entry) => entry.startsWith('v1,'))
    .map((entry) => encoder.encode(entry.slice('v1,'.length)));
  for (const signer of signers) {
    const expected = encoder.encode(signer.sign(id, signedAt, body).slice('v1,'.length));
    if (received.some((signature) => timingSafeEqual(signature, expected))) return;
  }
  const secrets = signers.length > 1 ? `any of the ${signers.length} secrets` : 'the secret';
  const message =
    received.length === 0
      ? 'The webhook-signature header has no v1 signature.'
      : `No v1 signature in the webhook-signature header matches this payload with ${secrets}.`;
  throw new WebhookVerificationError('webhook_invalid_signature', message, {
    hint: RAW_BODY_HINT,
  });
}

/** The signing time of `header` (Unix seconds), refused when too far from now. */
function checkTimestamp(header: string, options: VerifyWebhookOptions): Date {
  const tolerance = options.toleranceSeconds ?? DEFAULT_WEBHOOK_TOLERANCE_SECONDS;
  if (Number.isNaN(tolerance) || tolerance < 0) {
    throw new PrismError('invalid_argument', `toleranceSeconds must be >= 0, not ${tolerance}.`, {
      hint: 'Leave it out for the default of 300 seconds.',
    });
  }
  if (!/^[0-9]+$/.test(header)) {
    throw new WebhookVerificationError(
      'webhook_invalid_signature',
      `The webhook-timestamp header "${header.slice(0, 40)}" is not Unix seconds.`,
      { hint: 'Pass the request headers as received; check that no proxy rewrites them.' },
    );
  }
  const signedAt = Number(header);
  const now = Math.floor((options.now?.() ?? new Date()).getTime() / 1000);
  if (now - signedAt > tolerance) {
    throw new WebhookVerificationError(
      'webhook_timestamp_too_old',
      `The webhook was signed ${now - signedAt} s ago, more than the ${tolerance} s tolerance.`,
      {
        hint: "Check this machine's clock; a replayed old delivery fails the same way.",
      },
    );
  }
  if (signedAt - now > tolerance) {
    throw new WebhookVerificationError(
      'webhook_timestamp_too_new',
      `The webhook was signed ${signedAt - now} s in the future, more than the ${tolerance} s tolerance.`,
      { hint: "Check this machine's clock; it is behind the sender's." },
    );
  }
  return new Date(signedAt * 1000);
}

/** The body as the text that was signed. */
function decodeBody(payload: string | Uint8Array): string {
  if (typeof payload === 'string') return payload;
  try {
    return utf8.decode(payload);
  } catch (cause) {
    throw new WebhookVerificationError(
      'webhook_invalid_signature',
      'The webhook payload is not UTF-8 text, so it cannot be what Prism signed.',
      { hint: RAW_BODY_HINT, cause },
    );
  }
}
