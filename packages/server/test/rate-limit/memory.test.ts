import { PrismError } from '@prism/sdk';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { RateLimitPluginOptions } from '../../src/rate-limit/plugin.js';
import { bearer, buildLimitedApp } from './limited-app.js';

describe('rateLimitPlugin counted in memory', () => {
  const apps: FastifyInstance[] = [];
  const appWith = async (options: RateLimitPluginOptions) => {
    const app = await buildLimitedApp(options);
    apps.push(app);
    return app;
  };
  const list = (app: FastifyInstance, keyId: string) =>
    app.inject({ method: 'GET', url: '/v2/documents', headers: bearer(keyId) });

  afterEach(async () => {
    vi.useRealTimers();
    await Promise.all(apps.splice(0).map((app) => app.close()));
  });

  it('gives each API key its own budget: one over it gets a 429 while another is served', async () => {
    const app = await appWith({ max: 2, windowMs: 60_000 });
    expect((await list(app, 'key_a')).statusCode).toBe(200);
    expect((await list(app, 'key_a')).statusCode).toBe(200);
    expect((await list(app, 'key_a')).statusCode).toBe(429);

    const other = await list(app, 'key_b');
    expect(other.statusCode).toBe(200);
    expect(other.headers['x-ratelimit-remaining']).toBe('1');
  });

  it('tells every counted response, errors included, the limit, what is left and the seconds to the reset', async () => {
    const app = await appWith({ max: 3, windowMs: 60_000 });
    const first = await list(app, 'key_a');
    const second = await list(app, 'key_a');
    const invalid = await app.inject({
      method: 'POST',
      url: '/v2/documents',
      headers: bearer('key_a'),
      payload: {},
    });

    expect(first.headers).toMatchObject({
      'x-ratelimit-limit': '3',
      'x-ratelimit-remaining': '2',
      'x-ratelimit-reset': '60',
    });
    expect(second.headers['x-ratelimit-remaining']).toBe('1');
    expect(invalid.statusCode).toBe(400);
    expect(invalid.headers['x-ratelimit-remaining']).toBe('0');
    expect(first.headers['retry-after']).toBeUndefined();
  });

  it('answers a request over the budget with a rate_limited problem, Retry-After and the limit headers', async () => {
    const app = await appWith({ max: 1, windowMs: 1000 });
    await list(app, 'key_a');
    const refused = await list(app, 'key_a');

    expect(refused.statusCode).toBe(429);
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(refused.headers).toMatchObject({
      'retry-after': '1',
      'x-ratelimit-limit': '1',
      'x-ratelimit-remaining': '0',
      'x-ratelimit-reset': '1',
    });
    expect(refused.json()).toEqual({
      type: 'https://prism.dev/problems/rate-limited',
      title: 'Too many requests',
      status: 429,
      detail: 'This API key has used its 1 request of the current 1 s window; it resets in 1 s.',
      instance: '/v2/documents',
      code: 'rate_limited',
      hint: 'Wait the Retry-After seconds before sending more, and spread requests out to stay under the limit.',
      requestId: expect.stringMatching(/.+/),
    });
  });

  it('refuses a key over its budget before parsing its body', async () => {
    const app = await appWith({ max: 1, windowMs: 60_000 });
    await list(app, 'key_a');
    const upload = await app.inject({
      method: 'POST',
      url: '/v2/documents',
      headers: { ...bearer('key_a'), 'content-type': 'application/json' },
      payload: '{"name": not json',
    });
    expect(upload.statusCode).toBe(429);
    expect(upload.json()).toMatchObject({ code: 'rate_limited' });
  });

  it('serves a key again once its window has passed', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const app = await appWith({ max: 1, windowMs: 1000 });
    await list(app, 'key_a');
    expect((await list(app, 'key_a')).statusCode).toBe(429);

    vi.setSystemTime(Date.now() + 1000);
    const again = await list(app, 'key_a');
    expect(again.statusCode).toBe(200);
    expect(again.headers['x-ratelimit-remaining']).toBe('0');
  });

  it('does not count requests without a principal: no key, /healthz, unknown routes', async () => {
    const app = await appWith({ max: 1, windowMs: 60_000 });
    const uncounted = [
      await app.inject({ method: 'GET', url: '/v2/documents' }),
      await app.inject({ method: 'GET', url: '/v2/documents' }),
      await app.inject({ method: 'GET', url: '/healthz' }),
      await app.inject({ method: 'GET', url: '/healthz' }),
      await app.inject({ method: 'GET', url: '/nope', headers: bearer('key_a') }),
    ];
    expect(uncounted.map((response) => response.statusCode)).toEqual([401, 401, 200, 200, 404]);
    for (const response of uncounted) {
      expect(response.headers['x-ratelimit-limit']).toBeUndefined();
    }

    const counted = await list(app, 'key_a');
    expect(counted.statusCode).toBe(200);
    expect(counted.headers['x-ratelimit-remaining']).toBe('0');
  });

  it('allows 600 requests a minute when no limit is given', async () => {
    const app = await appWith({});
    const response = await list(app, 'key_a');
    expect(response.headers).toMatchObject({
      'x-ratelimit-limit': '600',
      'x-ratelimit-remaining': '599',
      'x-ratelimit-reset': '60',
    });
  });

  it.each([{ max: 0 }, { max: 1.5 }, { windowMs: 0 }, { windowMs: -1000 }])(
    'refuses %o: the limit and window are positive whole numbers',
    async (options) => {
      const failure = await buildLimitedApp(options).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(PrismError);
      expect(failure).toMatchObject({ code: 'invalid_argument', hint: expect.any(String) });
    },
  );
});
