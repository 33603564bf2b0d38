import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One event a webhook consumer received. */
export interface ReceivedEvent {
  /** The event's `type`. */
  type: string;
  /** The event's `data`. */
  data: Record<string, unknown>;
  /** The request's headers (`webhook-id`, `webhook-signature`, ...). */
  headers: IncomingHttpHeaders;
  /** The request's body as sent. */
  body: string;
}

/** A webhook endpoint on the loopback interface, answering every event with 204. */
export interface WebhookConsumer {
  /** Where it listens, e.g. `http://127.0.0.1:41234/prism-events`. */
  url: string;
  /** Every event received, in order. */
  readonly received: ReceivedEvent[];
  /** The first event of `type`, received already or when it arrives. */
  event(type: string): Promise<ReceivedEvent>;
  /** Stops listening. */
  close(): Promise<void>;
}

/** Starts a webhook consumer on 127.0.0.1, on a free port. */
export async function startWebhookConsumer(): Promise<WebhookConsumer> {
  const received: ReceivedEvent[] = [];
  const waiting: { type: string; resolve: (event: ReceivedEvent) => void }[] = [];
  const server = createServer(async (request, response) => {
    let body = '';
    for await (const chunk of request) body += String(chunk);
    const { type, data } = JSON.parse(body) as Pick<ReceivedEvent, 'type' | 'data'>;
    const event: ReceivedEvent = { type, data, headers: request.headers, body };
    received.push(event);
    response.writeHead(204).end();
    for (const waiter of waiting.filter((candidate) => candidate.type === type)) {
      waiting.splice(waiting.indexOf(waiter), 1);
      waiter.resolve(event);
    }
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/prism-events`,
    received,
    event(type) {
      const already = received.find((event) => event.type === type);
      if (already !== undefined) return Promise.resolve(already);
      return new Promise((resolve) => waiting.push({ type, resolve }));
    },
    async close() {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}
