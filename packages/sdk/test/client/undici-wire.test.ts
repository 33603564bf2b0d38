import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  ConnectionError,
  HttpTransport,
  type HttpTransportOptions,
  TimeoutError,
} from '../../src/client/index.js';
import { API_KEY } from './harness.js';

type Route = (request: IncomingMessage, response: ServerResponse) => void | Promise<void>;

/**
 * Responses that arrive over time, through the default undici wire to a real server on 127.0.0.1
 * (msw answers whole bodies at once, so these need a server that writes when it wants).
 */
describe('the undici wire, against a server that answers over time', () => {
  let server: Server;
  let baseUrl: string;
  let route: Route = (_request, response) => void response.writeHead(501).end();
  const transports: HttpTransport[] = [];

  beforeAll(async () => {
    server = createServer((request, response) => void route(request, response));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    // Loads undici (the wire imports it on first use), so short timeouts time only the exchange.
    route = (_request, response) => void response.writeHead(204).end();
    await transport().request({ method: 'GET', path: '/v2/ping' });
  });
  afterEach(async () => {
    await Promise.all(transports.splice(0).map((transport) => transport.close()));
    server.closeAllConnections();
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  const transport = (options: Partial<HttpTransportOptions> = {}) => {
    const made = new HttpTransport({ baseUrl, apiKey: API_KEY, maxRetries: 0, ...options });
    transports.push(made);
    return made;
  };
  const stream = (made: HttpTransport, signal?: AbortSignal) =>
    made.request<AsyncIterable<Uint8Array>>({
      method: 'GET',
      path: '/v2/events',
      responseType: 'stream',
      signal,
    });
  const text = (chunk: Uint8Array) => Buffer.from(chunk).toString();

  it('streams a body for longer than timeoutMs: the timeout covers only the wait for headers', async () => {
    route = async (_request, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      for (let n = 1; n <= 4; n += 1) {
        response.write(`data: ${n}\n\n`);
        await delay(40);
      }
      response.end();
    };
    const { data } = await stream(transport({ timeoutMs: 60 }));
    const chunks: string[] = [];
    for await (const chunk of data) chunks.push(text(chunk));
    expect(chunks.join('')).toBe('data: 1\n\ndata: 2\n\ndata: 3\n\ndata: 4\n\n');
  });

  it('times out a stream whose headers do not come within timeoutMs', async () => {
    route = async (_request, response) => {
      await delay(500);
      if (!response.destroyed) response.writeHead(200).end();
    };
    const error = await stream(transport({ timeoutMs: 40 })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toMatchObject({ code: 'timeout', timeoutMs: 40 });
  });

  it("ends a streaming body when the caller's signal aborts, and closes its connection", async () => {
    let closed = false;
    route = (_request, response) => {
      response.on('close', () => {
        closed = true;
      });
      response.writeHead(200, { 'content-type': 'text/event-stream' }).write('data: 1\n\n');
    };
    const controller = new AbortController();
    const { data } = await stream(transport(), controller.signal);
    const iterator = data[Symbol.asyncIterator]();
    expect(text((await iterator.next()).value)).toBe('data: 1\n\n');
    const reason = new Error('the reader left');
    controller.abort(reason);
    await expect(iterator.next()).rejects.toBe(reason);
    await vi.waitFor(() => expect(closed).toBe(true));
  });

  it('closes the connection of a stream left before its end', async () => {
    let closed = false;
    route = (_request, response) => {
      response.on('close', () => {
        closed = true;
      });
      response.writeHead(200).write('data: 1\n\n');
    };
    const { data } = await stream(transport());
    for await (const chunk of data) {
      expect(text(chunk)).toBe('data: 1\n\n');
      break;
    }
    await vi.waitFor(() => expect(closed).toBe(true));
  });

  it('stops reading the socket while a stream is not read, and then gives it whole', async () => {
    const piece = Buffer.alloc(64 * 1024, 'x');
    const total = 1024 * piece.length;
    let written = 0;
    route = async (_request, response) => {
      response.writeHead(200, { 'content-type': 'application/octet-stream' });
      while (written < total && !response.destroyed) {
        written += piece.length;
        if (!response.write(piece)) await new Promise((resolve) => response.once('drain', resolve));
      }
      response.end();
    };
    const { data } = await stream(transport());
    // Unread, the body fills the socket's buffers and the server can write no more.
    let before = -1;
    await vi.waitFor(
      async () => {
        const now = written;
        if (now !== before) {
          before = now;
          await delay(50);
        }
        expect(written).toBe(before);
      },
      { timeout: 5_000, interval: 10 },
    );
    expect(written).toBeLessThan(total);
    let read = 0;
    for await (const chunk of data) read += chunk.byteLength;
    expect(read).toBe(total);
  });

  it('times out attempts in flight together, each at its own timeout', async () => {
    route = () => {};
    const made = transport({ timeoutMs: 150 });
    const errors = await Promise.all(
      [150, 30, 80].map((timeoutMs) =>
        made.request({ method: 'GET', path: '/v2/reviews', timeoutMs }).catch((e: unknown) => e),
      ),
    );
    expect(errors.map((error) => (error as TimeoutError).timeoutMs)).toEqual([150, 30, 80]);
    for (const error of errors) expect(error).toBeInstanceOf(TimeoutError);
  });

  it('times out a JSON body that does not end within timeoutMs of the request', async () => {
    route = (_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' }).write('{"data": [');
    };
    const error = await transport({ timeoutMs: 60 })
      .request({ method: 'GET', path: '/v2/reviews' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
  });

  it('reports a connection reset in the middle of a body as a ConnectionError', async () => {
    route = (request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' }).write('{"data": [');
      setImmediate(() => request.socket.destroy());
    };
    const error = await transport()
      .request({ method: 'GET', path: '/v2/reviews' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectionError);
  });

  it('reads a body sent in many chunks, with a byte order mark, as the same text', async () => {
    const json = JSON.stringify({ data: Array.from({ length: 2000 }, (_, n) => `item ${n} é`) });
    route = (_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(json)]);
      for (let at = 0; at < bytes.length; at += 1000) response.write(bytes.subarray(at, at + 1000));
      response.end();
    };
    const { data } = await transport().request({ method: 'GET', path: '/v2/reviews' });
    expect(data).toEqual(JSON.parse(json));
  });
});
