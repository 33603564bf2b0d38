import {
  generateApiKeySecret,
  hashApiKeySecret,
  PrismService,
  type PrismServiceOptions,
} from '@prism/sdk';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { buildServer } from '../../src/server.js';
import { NOTES_UPLOAD } from '../api/harness.js';

/** Webhooks to a URL with `broken` in it fail; the others are taken. No request leaves. */
const stubFetch: NonNullable<PrismServiceOptions['fetch']> = async (url) =>
  new Response(null, { status: String(url).includes('broken') ? 500 : 204 });

/** A server with metrics on, and an admin key of tenant `acme`. */
async function metricsServer() {
  const service = new PrismService({ fetch: stubFetch });
  const app = await buildServer({ service, ops: { metrics: true } });
  const secret = generateApiKeySecret();
  await service.core.store.apiKeys.insert({
    id: 'key_metrics_admin',
    tenantId: 'acme',
    name: 'admin',
    prefix: secret.slice(0, 13),
    role: 'admin',
    createdAt: new Date().toISOString(),
    lastUsedAt: null,
    revokedAt: null,
    secretHash: hashApiKeySecret(secret),
  });
  const call = (method: 'GET' | 'POST', url: string, payload?: object) =>
    app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${secret}` },
      ...(payload === undefined ? {} : { payload }),
    });
  const scrape = async () => {
    const response = await app.inject({ method: 'GET', url: '/metrics' });
    expect(response.statusCode).toBe(200);
    return response.body;
  };
  const close = async () => {
    await app.close();
    await service.close();
  };
  return { app, service, call, scrape, close };
}

/** The value of the sample `name{labels}` in a scrape, or `undefined` when there is none. */
function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  const wanted = Object.entries(labels)
    .map(([label, value]) => `${label}="${value}"`)
    .sort();
  for (const line of text.split('\n')) {
    const match = /^(\w+)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const has = (match[2] ?? '').split(',').filter(Boolean).sort();
    if (wanted.every((pair) => has.includes(pair))) return Number(match[3]);
  }
  return undefined;
}

function expectStatus(response: LightMyRequestResponse, status: number) {
  expect({ status: response.statusCode, body: response.body }).toMatchObject({ status });
  return response.json() as Record<string, unknown> & { id: string };
}

describe('GET /metrics', () => {
  let server: Awaited<ReturnType<typeof metricsServer>>;
  beforeAll(async () => {
    server = await metricsServer();
  });
  afterAll(async () => {
    await server.close();
  });

  it('is not served unless metrics are enabled', async () => {
    const service = new PrismService();
    const app = await buildServer({ service });
    try {
      const response = await app.inject({ method: 'GET', url: '/metrics' });
      expect(response.statusCode).toBe(404);
    } finally {
      await app.close();
      await service.close();
    }
  });

  it('speaks the Prometheus text format, with the process metrics, without an API key', async () => {
    const response = await server.app.inject({ method: 'GET', url: '/metrics' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(response.body).toContain('# TYPE process_cpu_user_seconds_total counter');
    expect(response.body).toContain('# TYPE nodejs_heap_size_used_bytes gauge');
    expect(response.body).toContain('# TYPE prism_http_request_duration_seconds histogram');
  });

  it('times requests by route pattern, never by the URL with its ids, leaving out the probes', async () => {
    expectStatus(await server.call('GET', '/v2/documents/doc_secret_looking_id'), 404);
    expectStatus(await server.call('GET', '/v2/documents/doc_another_id'), 404);
    expectStatus(await server.call('GET', '/v2/documents'), 200);
    expectStatus(await server.call('GET', '/no/such/route/123'), 404);
    for (const url of ['/healthz', '/readyz']) {
      expectStatus(await server.app.inject({ method: 'GET', url }), 200);
    }

    const text = await server.scrape();
    const count = (route: string, status: string) =>
      sample(text, 'prism_http_request_duration_seconds_count', {
        method: 'GET',
        route,
        status_code: status,
      });
    expect(count('/v2/documents/:documentId', '404')).toBe(2);
    expect(count('/v2/documents', '200')).toBe(1);
    expect(count('unmatched', '404')).toBe(1);
    expect(
      sample(text, 'prism_http_request_duration_seconds_bucket', {
        route: '/v2/documents',
        le: '+Inf',
      }),
    ).toBe(1);
    expect(text).not.toMatch(/doc_secret_looking_id|doc_another_id|\/no\/such/);
    expect(text).not.toMatch(/route="\/(healthz|readyz|metrics)"/);
  });

  it('counts the reviews that end and the webhook deliveries, by status', async () => {
    const before = await server.scrape();
    expect(sample(before, 'prism_reviews_total', { status: 'succeeded' })).toBe(0);
    expect(sample(before, 'prism_webhook_deliveries_total', { status: 'succeeded' })).toBe(0);

    for (const url of ['https://hooks.example.com/ok', 'https://hooks.example.com/broken']) {
      expectStatus(
        await server.call('POST', '/v2/webhook-endpoints', {
          url,
          enabledEvents: ['review.completed'],
        }),
        201,
      );
    }
    const document = expectStatus(await server.call('POST', '/v2/documents', NOTES_UPLOAD), 201);
    for (let review = 0; review < 2; review += 1) {
      expectStatus(await server.call('POST', '/v2/reviews', { documentId: document.id }), 202);
    }
    await server.service.core.settle();

    const after = await server.scrape();
    expect(sample(after, 'prism_reviews_total', { status: 'succeeded' })).toBe(2);
    expect(sample(after, 'prism_reviews_total', { status: 'failed' })).toBe(0);
    expect(sample(after, 'prism_webhook_deliveries_total', { status: 'succeeded' })).toBe(2);
    expect(sample(after, 'prism_webhook_deliveries_total', { status: 'failed' })).toBe(2);
  });

  it('keeps each server its own counts', async () => {
    const other = await metricsServer();
    try {
      expectStatus(await other.call('GET', '/v2/documents'), 200);
      const own = await other.scrape();
      expect(
        sample(own, 'prism_http_request_duration_seconds_count', { route: '/v2/documents' }),
      ).toBe(1);
      expect(sample(own, 'prism_reviews_total', { status: 'succeeded' })).toBe(0);
      expect(sample(own, 'prism_webhook_deliveries_total', { status: 'failed' })).toBe(0);
    } finally {
      await other.close();
    }
  });
});

describe('PRISM_METRICS_ENABLED', () => {
  it('is off unless set, and takes true or false', () => {
    expect(loadConfig({}).PRISM_METRICS_ENABLED).toBe(false);
    expect(loadConfig({ PRISM_METRICS_ENABLED: 'true' }).PRISM_METRICS_ENABLED).toBe(true);
    expect(loadConfig({ PRISM_METRICS_ENABLED: '0' }).PRISM_METRICS_ENABLED).toBe(false);
    expect(() => loadConfig({ PRISM_METRICS_ENABLED: 'sometimes' })).toThrow(
      'Invalid setting PRISM_METRICS_ENABLED: must be true or false.',
    );
  });
});
