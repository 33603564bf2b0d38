import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { signWebhook, unwrapWebhook, WebhookError, type WebhookEvent } from '@prism/sdk';
import { describeEvent } from './describe-event.js';
import { BodyTooLargeError, readRawBody } from './read-body.js';
import { SeenIds } from './seen-ids.js';

/** Options of {@link createWebhookConsumer}. */
export interface WebhookConsumerOptions {
  /** The endpoint's `whsec_` secret, or several while a secret is being rotated. */
  secret: string | string[];
  /** Handles each verified, first-seen event (default: logs one line per event). */
  onEvent?: (event: WebhookEvent) => void | Promise<void>;
}

/**
 * An HTTP server that receives Prism webhooks on any path: it verifies each POST against the raw
 * body and answers 204 once the event is handled, 204 again (without handling) for a repeated
 * `webhook-id`, 400 when verification or the payload fails, 405 for other methods, 413 for a
 * body over 1 MB and 500 when `onEvent` throws (so Prism retries).
 *
 * @throws {WebhookVerificationError} `webhook_invalid_secret` at once for a malformed secret.
 */
export function createWebhookConsumer(options: WebhookConsumerOptions): Server {
  const { secret, onEvent = logEvent } = options;
  // Signing once checks the secret, so a malformed one fails here rather than on every delivery.
  signWebhook({ id: 'msg_secret_check', timestamp: new Date(), payload: '', secrets: secret });
  const seen = new SeenIds();

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (request.method !== 'POST') {
      reply(response, 405, 'Only POST is allowed.', { allow: 'POST' });
      return;
    }
    let event: WebhookEvent;
    try {
      const body = await readRawBody(request);
      event = unwrapWebhook(body, request.headers, secret);
    } catch (error) {
      if (error instanceof BodyTooLargeError) {
        reply(response, 413, error.message, { connection: 'close' });
      } else if (error instanceof WebhookError) {
        reply(response, 400, `${error.code}: ${error.message}`);
      } else {
        throw error;
      }
      return;
    }
    // The id is covered by the signature, so it is trustworthy once the delivery verifies.
    const id = String(request.headers['webhook-id']);
    if (seen.has(id)) {
      reply(response, 204);
      return;
    }
    seen.add(id);
    try {
      await onEvent(event);
    } catch (error) {
      seen.delete(id);
      throw error;
    }
    reply(response, 204);
  }

  return createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      console.error('Handling a webhook failed:', error);
      if (!response.headersSent) reply(response, 500, 'The event could not be handled.');
    });
  });
}

function logEvent(event: WebhookEvent): void {
  console.log(describeEvent(event));
}

function reply(
  response: ServerResponse,
  status: number,
  text?: string,
  headers: Record<string, string> = {},
): void {
  if (text === undefined) {
    response.writeHead(status, headers).end();
    return;
  }
  response.writeHead(status, { ...headers, 'content-type': 'text/plain; charset=utf-8' });
  response.end(`${text}\n`);
}
