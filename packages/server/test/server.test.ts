import { afterAll, describe, expect, it } from 'vitest';
import { buildServer } from '../src/server.js';

describe('buildServer', () => {
  const app = buildServer();
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
  ] as const)('answers %s %s with a 404 problem', async (method, url) => {
    const response = await app.inject({ method, url });
    expect(response.statusCode).toBe(404);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.json()).toEqual({
      type: 'about:blank',
      title: 'Not Found',
      status: 404,
      detail: `There is no route ${method} ${url}.`,
      code: 'not_found',
    });
  });
});
