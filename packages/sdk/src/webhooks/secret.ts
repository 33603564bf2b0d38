import { Webhook } from 'standardwebhooks';
import { WebhookVerificationError } from './errors.js';

const SECRET_PREFIX = 'whsec_';
const SECRET_BYTES = 32;

/**
 * One Standard Webhooks signer per secret (`whsec_` + base64, or the bare base64 part).
 *
 * @throws {WebhookVerificationError} `webhook_invalid_secret` for an empty list, or a secret that
 *   is empty or not base64; the message gives its position, never its value.
 */
export function signersFor(secrets: string | string[]): Webhook[] {
  const list = Array.isArray(secrets) ? secrets : [secrets];
  if (list.length === 0) throw invalidSecret('No webhook secret was given.');
  return list.map((secret, index) => {
    const which = list.length > 1 ? `Webhook secret #${index + 1}` : 'The webhook secret';
    if (typeof secret !== 'string' || secret === '' || secret === SECRET_PREFIX) {
      throw invalidSecret(`${which} is empty.`);
    }
    try {
      return new Webhook(secret);
    } catch (cause) {
      throw invalidSecret(`${which} is not ${SECRET_PREFIX} followed by base64.`, cause);
    }
  });
}

/** A new random endpoint secret: `whsec_` followed by the base64 of 32 random bytes. */
export function generateWebhookSecret(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(SECRET_BYTES));
  return `${SECRET_PREFIX}${btoa(String.fromCharCode(...bytes))}`;
}

function invalidSecret(message: string, cause?: unknown): WebhookVerificationError {
  return new WebhookVerificationError('webhook_invalid_secret', message, {
    hint: 'Copy the endpoint secret exactly as Prism showed it (whsec_...), without quotes or spaces.',
    cause,
  });
}
