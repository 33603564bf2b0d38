import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { unwrapWebhook, type WebhookEvent } from '@prism/sdk';

/** A webhook endpoint on the loopback interface that keeps the events whose signature verifies. */
export interface WebhookReceiver {
  /** Where it listens, e.g. `http://127.0.0.1:41234/prism-events`. */
  readonly url: string;
  /** The verified events, in the order they arrived. */
  readonly events: WebhookEvent[];
  /** How many deliveries were refused (signature, timestamp or payload wrong). */
  readonly refused: number;
  /** The signing secret, once the endpoint is subscribed (`prism.webhooks.create`). */
  secret: string | undefined;
  /** Stops listening. */
  close(): Promise<void>;
}

/**
 * Starts a webhook receiver on 127.0.0.1: each delivery's raw body and headers are verified
 * and parsed with `unwrapWebhook` from `@prism/sdk` under {@link WebhookReceiver.secret};
 * a verified event is kept and answered 204, anything else 400.
 */
export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const events: WebhookEvent[] = [];
  let refused = 0;
  const server = createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    try {
      events.push(unwrapWebhook(Buffer.concat(chunks), request.headers, receiver.secret ?? ''));
      response.writeHead(204).end();
    } catch {
      refused += 1;
      response.writeHead(400).end();
    }
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const receiver: WebhookReceiver = {
    url: `http://127.0.0.1:${port}/prism-events`,
    events,
    get refused() {
      return refused;
    },
    secret: undefined,
    async close() {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
  return receiver;
}
