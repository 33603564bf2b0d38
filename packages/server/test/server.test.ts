import { PrismService } from '@prism/sdk';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../src/server.js';

describe('buildServer', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await buildServer({ service: new PrismService() });
  });
  afterAll(async () => {
    await app.close();
  });

  it('answers GET /healthz with 200 and status ok', async () => {
    const response = await app.inject({ method: 'GET', url: '/healthz' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(response.json()).toEqual({ status: 'ok' });
  });

  it.each([
    ['GET', '/nope?x=1'],
    ['POST', '/healthz'],
  ] as const)('answers %s %s with a 404 problem carrying the request id', async (method, url) => {
    const response = await app.inject({ method, url, headers: { 'x-request-id': 'req-mine' } });
    expect(response.statusCode).toBe(404);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.headers['x-request-id']).toBe('req-mine');
    expect(response.json()).toMatchObject({
      status: 404,
      detail: `There is no route ${method} ${url}.`,
      code: 'not_found',
      requestId: 'req-mine',
    });
  });
});
