import { PrismService } from '@prism/sdk';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../src/server.js';

const APP = 'https://app.example.com';
const OTHER = 'https://evil.example.net';

/** The names of a comma-separated header, lower case. */
function names(value: unknown): string[] {
  return String(value)
    .toLowerCase()
    .split(/\s*,\s*/);
}

function preflight(origin: string, method: string, headers: string) {
  return {
    method: 'OPTIONS' as const,
    url: '/v2/documents',
    headers: {
      origin,
      'access-control-request-method': method,
      'access-control-request-headers': headers,
    },
  };
}

describe('CORS, off by default', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await buildServer({ service: new PrismService() });
  });
  afterAll(async () => {
    await app.close();
  });

  it('sends no CORS header, and has no preflight', async () => {
    const response = await app.inject({
      method: 'GET',
      url: '/v2/documents',
      headers: { origin: APP },
    });
    expect(response.statusCode).toBe(401);
    expect(
      Object.keys(response.headers).filter((name) => name.startsWith('access-control-')),
    ).toEqual([]);

    const answer = await app.inject(preflight(APP, 'POST', 'authorization'));
    expect(answer.statusCode).toBe(404);
    expect(answer.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('CORS with PRISM_CORS_ORIGINS set', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await buildServer({
      service: new PrismService(),
      ops: { corsOrigins: [APP, 'http://localhost:5173'] },
    });
  });
  afterAll(async () => {
    await app.close();
  });

  it.each(['GET', 'POST', 'PATCH', 'DELETE'])(
    'answers a preflight for %s with the API headers from an allowed origin',
    async (method) => {
      const response = await app.inject(
        preflight(APP, method, 'authorization, content-type, idempotency-key, x-request-id'),
      );
      expect(response.statusCode).toBe(204);
      expect(response.headers['access-control-allow-origin']).toBe(APP);
      expect(response.headers['access-control-allow-credentials']).toBeUndefined();
      expect(names(response.headers['access-control-allow-methods'])).toContain(
        method.toLowerCase(),
      );
      expect(names(response.headers['access-control-allow-headers'])).toEqual(
        expect.arrayContaining([
          'authorization',
          'content-type',
          'idempotency-key',
          'x-request-id',
        ]),
      );
      expect(response.headers['access-control-max-age']).toBe('600');
      expect(String(response.headers.vary)).toMatch(/origin/i);
    },
  );

  it('lets an allowed origin read the request id, rate limit and retry headers', async () => {
    const response = await app.inject({
      method: 'GET',
      url: '/v2/documents',
      headers: { origin: 'http://localhost:5173' },
    });
    expect(response.statusCode).toBe(401);
    expect(response.headers['access-control-allow-origin']).toBe('http://localhost:5173');
    expect(response.headers['access-control-allow-credentials']).toBeUndefined();
    expect(names(response.headers['access-control-expose-headers'])).toEqual(
      expect.arrayContaining([
        'x-request-id',
        'retry-after',
        'x-ratelimit-limit',
        'x-ratelimit-remaining',
        'x-ratelimit-reset',
      ]),
    );
  });

  it('allows no other origin, and no look-alike of an allowed one', async () => {
    for (const origin of [OTHER, `${APP}.evil.example.net`, 'http://app.example.com', 'null']) {
      const answer = await app.inject(preflight(origin, 'DELETE', 'authorization'));
      expect({ origin, allowOrigin: answer.headers['access-control-allow-origin'] }).toEqual({
        origin,
        allowOrigin: undefined,
      });
      const response = await app.inject({ method: 'GET', url: '/healthz', headers: { origin } });
      expect(response.headers['access-control-allow-origin']).toBeUndefined();
    }
  });

  it('refuses to start with an origin a browser would never send', async () => {
    for (const origin of [`${APP}/`, `${APP}/app`, 'app.example.com', '*']) {
      await expect(
        buildServer({ service: new PrismService(), ops: { corsOrigins: [origin] } }),
      ).rejects.toMatchObject({ code: 'invalid_config', message: expect.stringContaining(origin) });
    }
  });
});
