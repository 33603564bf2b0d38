import { WebhookVerificationError } from './errors.js';

/** The headers of a webhook request: a fetch `Headers`, or a plain object such as Node's. */
export type WebhookHeaders =
  | Headers
  | Readonly<Record<string, string | readonly string[] | undefined>>;

/** The three Standard Webhooks headers of one delivery. */
export interface WebhookHeaderValues {
  id: string;
  timestamp: string;
  /** Every `version,signature` entry, from all `webhook-signature` values. */
  signatures: string[];
}

/**
 * Reads the Standard Webhooks headers, case-insensitively, accepting arrays (Node's
 * `IncomingHttpHeaders`) and duplicates joined by `, ` (Node, fetch).
 *
 * @throws {WebhookVerificationError} `webhook_missing_headers`, naming each missing header.
 */
export function readWebhookHeaders(headers: WebhookHeaders): WebhookHeaderValues {
  const [id] = valuesOf(headers, 'webhook-id');
  const [timestamp] = valuesOf(headers, 'webhook-timestamp');
  const signatures = valuesOf(headers, 'webhook-signature')
    .flatMap((value) => value.split(/\s+/))
    .map((entry) => entry.replace(/,$/, ''))
    .filter((entry) => entry !== '');
  if (id === undefined || timestamp === undefined || signatures.length === 0) {
    const missing = [
      ...(id === undefined ? ['webhook-id'] : []),
      ...(timestamp === undefined ? ['webhook-timestamp'] : []),
      ...(signatures.length === 0 ? ['webhook-signature'] : []),
    ];
    throw new WebhookVerificationError(
      'webhook_missing_headers',
      `The webhook request has no ${missing.join(', ')} header${missing.length > 1 ? 's' : ''}.`,
      {
        hint: 'Pass the request headers as received; check that no proxy strips webhook-* headers.',
      },
    );
  }
  return { id, timestamp, signatures };
}

/** The non-empty values of header `name` (lower case), in order. */
function valuesOf(headers: WebhookHeaders, name: string): string[] {
  if (isFetchHeaders(headers)) {
    const value = headers.get(name);
    return value ? [value] : [];
  }
  return Object.entries(headers)
    .filter(([key]) => key.toLowerCase() === name)
    .flatMap(([, value]) => (value === undefined ? [] : value))
    .filter((value) => value !== '');
}

function isFetchHeaders(headers: WebhookHeaders): headers is Headers {
  return typeof headers.get === 'function';
}
