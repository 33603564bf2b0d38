import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { MockAgent } from 'undici';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ConnectionError, HttpTransport, NotFoundError } from '../../src/client/index.js';
import { ReviewSchema } from '../../src/index.js';
import { API_KEY, reviewExample } from './harness.js';

const reviewPath = `/v2/reviews/${reviewExample.id}`;

describe('a custom undici dispatcher (MockAgent)', () => {
  let agent: MockAgent;

  beforeAll(() => {
    agent = new MockAgent();
    agent.disableNetConnect();
  });
  afterEach(() => {
    vi.restoreAllMocks();
    agent.assertNoPendingInterceptors();
  });
  afterAll(() => agent.close());

  const transport = () =>
    new HttpTransport({ baseUrl: 'http://prism.test', apiKey: API_KEY, dispatcher: agent });

  it('sends through the dispatcher, with the key, and reads the body and request id', async () => {
    agent
      .get('http://prism.test')
      .intercept({
        path: reviewPath,
        method: 'GET',
        headers: { authorization: `Bearer ${API_KEY}` },
      })
      .reply(200, reviewExample, { headers: { 'x-request-id': 'req_mock_1' } });
    const { data, response } = await transport().request({
      method: 'GET',
      path: reviewPath,
      schema: ReviewSchema,
    });
    expect(data).toEqual(reviewExample);
    expect(response.requestId).toBe('req_mock_1');
  });

  it('retries a 503 and maps a problem to its error class', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.001);
    const origin = agent.get('http://prism.test');
    origin.intercept({ path: reviewPath }).reply(503, '');
    origin.intercept({ path: reviewPath }).reply(
      404,
      {
        type: 'about:blank',
        title: 'Not Found',
        status: 404,
        code: 'not_found',
        requestId: 'req_mock_2',
      },
      { headers: { 'content-type': 'application/problem+json' } },
    );
    const error = await transport()
      .request({ method: 'GET', path: reviewPath })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error).toMatchObject({ code: 'not_found', requestId: 'req_mock_2' });
  });

  it('turns a dispatcher error into a ConnectionError', async () => {
    agent
      .get('http://prism.test')
      .intercept({ path: reviewPath })
      .replyWithError(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }));
    const error = await new HttpTransport({
      baseUrl: 'http://prism.test',
      apiKey: API_KEY,
      dispatcher: agent,
      maxRetries: 0,
    })
      .request({ method: 'GET', path: reviewPath })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectionError);
    expect((error as Error).message).toContain('ECONNRESET read ECONNRESET');
  });
});

describe('the default keep-alive Pool', () => {
  let server: Server;
  let baseUrl: string;
  const sockets = new Set<Socket>();
  let closed = 0;

  beforeAll(async () => {
    server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(reviewExample));
    });
    server.on('connection', (socket: Socket) => {
      sockets.add(socket);
      socket.on('close', () => {
        closed += 1;
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('keeps connections alive across sequential requests, and close() ends them', async () => {
    const transport = new HttpTransport({ baseUrl, apiKey: API_KEY });
    for (let i = 0; i < 20; i += 1) {
      await transport.request({ method: 'GET', path: reviewPath, schema: ReviewSchema });
    }
    // undici may open a second connection when a request starts while the previous one is being
    // finished off; what matters is that 20 requests do not open 20 connections.
    expect(sockets.size).toBeLessThanOrEqual(2);
    await transport.close();
    await vi.waitFor(() => expect(closed).toBe(sockets.size));
  });
});
