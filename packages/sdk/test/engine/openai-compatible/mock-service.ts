import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getResponse, type RequestHandler } from 'msw';
import { afterAll, afterEach, beforeAll } from 'vitest';

/** A mock model service on 127.0.0.1 that answers with msw handlers. */
export interface MockService {
  /** `http://127.0.0.1:<port>`. */
  readonly origin: string;
  /** The requests received in this test, in order. */
  readonly requests: Request[];
  /** Adds msw handlers for this test (first match wins). */
  use(...handlers: RequestHandler[]): void;
}

/**
 * Starts a mock service for the tests of the enclosing `describe`. msw intercepts the global
 * `fetch` and `http.request` but not undici, which writes to sockets itself; so the msw handlers
 * answer behind a real HTTP server, which the client reaches with undici as in production. A
 * streamed response body is written chunk by chunk as the handler's stream yields them;
 * `HttpResponse.error()` destroys the socket (a connection reset).
 */
export function setupMockService(): MockService {
  const requests: Request[] = [];
  let handlers: RequestHandler[] = [];
  let server: Server | undefined;
  let origin = '';

  beforeAll(async () => {
    server = createServer((req, res) => {
      answer(req, res, handlers, origin, requests).catch((error: unknown) => {
        res.destroy(error as Error);
      });
    });
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterEach(() => {
    requests.length = 0;
    handlers = [];
    server?.closeAllConnections();
  });

  afterAll(async () => {
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
  });

  return {
    get origin() {
      return origin;
    },
    requests,
    use(...added) {
      handlers = [...added, ...handlers];
    },
  };
}

async function answer(
  req: IncomingMessage,
  res: ServerResponse,
  handlers: RequestHandler[],
  origin: string,
  requests: Request[],
): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    for (const item of Array.isArray(value) ? value : [value ?? '']) headers.append(name, item);
  }
  const request = new Request(new URL(req.url ?? '/', origin), {
    method: req.method ?? 'GET',
    headers,
    body: chunks.length > 0 ? Buffer.concat(chunks) : undefined,
  });
  requests.push(request.clone());
  const response = await getResponse(handlers, request);
  if (!response) {
    res.writeHead(501, { 'content-type': 'text/plain' }).end(`no handler for ${req.url}`);
    return;
  }
  if (response.type === 'error') {
    req.socket.destroy();
    return;
  }
  res.writeHead(response.status, Object.fromEntries(response.headers));
  if (response.body) {
    for await (const chunk of response.body) {
      await new Promise<void>((resolve, reject) => {
        res.write(chunk, (error) => (error ? reject(error) : resolve()));
      });
      // Let the client read this chunk before the next is written.
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
  res.end();
}
