import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getResponse, HttpResponse, type RequestHandler } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { HttpTransport, type HttpTransportOptions } from '../../src/client/index.js';
import type { Problem, Review } from '../../src/index.js';
import { spec } from '../spec.js';

/** The Review example of the OpenAPI contract. */
export const reviewExample = spec.components.schemas.Review?.examples?.[0] as Review;

/** The Problem example of the OpenAPI contract (a 422 `validation_failed`). */
export const problemExample = spec.components.schemas.Problem?.examples?.[0] as Problem;

/** A test API key in the real format, so redaction of the real format is what is tested. */
export const API_KEY = 'prism_sk_TestKey0123456789abcdef';

/** An RFC 9457 problem response, as a Prism server answers an error. */
export function problemResponse(
  status: number,
  problem: Partial<Problem> & { code: string },
  headers: Record<string, string> = {},
): Response {
  const requestId = problem.requestId ?? `req_${status}_${problem.code}`;
  return HttpResponse.json(
    {
      type: `https://prism.dev/problems/${problem.code.replaceAll('_', '-')}`,
      title: problem.title ?? 'Problem',
      status,
      ...problem,
      requestId,
    },
    {
      status,
      headers: {
        'content-type': 'application/problem+json',
        'x-request-id': requestId,
        ...headers,
      },
    },
  );
}

/** Which HTTP client the transport under test uses. */
export type WireMode = 'fetch' | 'undici';

/** A mock Prism server the transport under test talks to, through one of the two wires. */
export interface Harness {
  /** `fetch` (msw intercepting the global fetch) or `undici` (a `Pool` to a loopback server). */
  readonly mode: WireMode;
  /** The mock server's URL. */
  readonly baseUrl: string;
  /** The requests the mock server received in this test, in order. */
  readonly requests: Request[];
  /** Adds msw handlers for this test (first match wins, as `server.use`). */
  use(...handlers: RequestHandler[]): void;
  /** A transport to the mock server (closed after the test). */
  transport(options?: Partial<HttpTransportOptions>): HttpTransport;
}

/**
 * Sets up a mock server for the tests of the enclosing `describe`. msw intercepts the global
 * `fetch` but not undici's `Pool` (which writes to sockets itself), so in `undici` mode the same
 * msw handlers answer behind a real HTTP server on 127.0.0.1, and the transport uses its default
 * undici path. `HttpResponse.error()` there destroys the socket: a real connection reset.
 */
export function setupHarness(mode: WireMode): Harness {
  const requests: Request[] = [];
  const transports: HttpTransport[] = [];
  let handlers: RequestHandler[] = [];
  const msw = setupServer();
  let server: Server | undefined;
  let baseUrl = 'http://prism.test';

  beforeAll(async () => {
    if (mode === 'fetch') {
      msw.listen({ onUnhandledRequest: 'error' });
      msw.events.on('request:start', ({ request }) => {
        requests.push(request.clone());
      });
      return;
    }
    server = createServer((req, res) => {
      answer(req, res, handlers, baseUrl, requests).catch((error: unknown) => {
        res.destroy(error as Error);
      });
    });
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterEach(async () => {
    await Promise.all(transports.splice(0).map((transport) => transport.close()));
    requests.length = 0;
    handlers = [];
    msw.resetHandlers();
  });

  afterAll(async () => {
    msw.close();
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
  });

  return {
    mode,
    get baseUrl() {
      return baseUrl;
    },
    requests,
    use(...added) {
      if (mode === 'fetch') msw.use(...added);
      else handlers = [...added, ...handlers];
    },
    transport(options = {}) {
      const transport = new HttpTransport({
        baseUrl,
        apiKey: API_KEY,
        ...(mode === 'fetch' ? { fetch: (url, init) => fetch(url, init) } : {}),
        ...options,
      });
      transports.push(transport);
      return transport;
    },
  };
}

async function answer(
  req: IncomingMessage,
  res: ServerResponse,
  handlers: RequestHandler[],
  baseUrl: string,
  requests: Request[],
): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    for (const item of Array.isArray(value) ? value : [value ?? '']) headers.append(name, item);
  }
  const hasBody = req.method !== 'GET' && req.method !== 'HEAD' && chunks.length > 0;
  const request = new Request(new URL(req.url ?? '/', baseUrl), {
    method: req.method ?? 'GET',
    headers,
    body: hasBody ? Buffer.concat(chunks) : undefined,
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
  const body = Buffer.from(await response.arrayBuffer());
  res.writeHead(response.status, Object.fromEntries(response.headers)).end(body);
}
