import { PrismService } from '@prism/sdk';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPENAPI_DOCUMENT } from '../../src/api/operations.js';
import { buildServer } from '../../src/server.js';

describe('the API reference', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await buildServer({ service: new PrismService() });
  });
  afterAll(async () => {
    await app.close();
  });

  it('serves the OpenAPI document as it is at /openapi.json, without an API key', async () => {
    const response = await app.inject({ method: 'GET', url: '/openapi.json' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(response.json()).toEqual(OPENAPI_DOCUMENT);
  });

  it('renders /docs as an HTML page whose scripts and styles are all served here', async () => {
    const page = await app.inject({ method: 'GET', url: '/docs' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.body).toContain('<title>Prism API reference</title>');
    expect(page.body).toContain('<div id="swagger-ui"></div>');

    const assets = [...page.body.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => match[1]);
    expect(assets).toEqual(
      expect.arrayContaining([
        '/docs/static/swagger-ui-bundle.js',
        '/docs/static/swagger-initializer.js',
        '/docs/static/swagger-ui.css',
      ]),
    );
    for (const asset of assets) {
      expect(asset).toMatch(/^\/docs\/static\//);
      const response = await app.inject({ method: 'GET', url: asset as string });
      expect({ asset, status: response.statusCode }).toEqual({ asset, status: 200 });
      expect(response.body.length).toBeGreaterThan(0);
    }
  });

  it('loads the document from this server, and allows nothing from elsewhere', async () => {
    const initializer = await app.inject({
      method: 'GET',
      url: '/docs/static/swagger-initializer.js',
    });
    expect(initializer.body).toContain("resolveUrl('./json')");
    expect(initializer.body).toContain('validatorUrl: null');

    const fromUi = await app.inject({ method: 'GET', url: '/docs/json' });
    expect(fromUi.json()).toEqual(OPENAPI_DOCUMENT);

    const page = await app.inject({ method: 'GET', url: '/docs' });
    const policy = String(page.headers['content-security-policy']);
    expect(policy).toContain("default-src 'self'");
    expect(policy).toContain("script-src 'self'");
    expect(policy).not.toMatch(/https?:|\*/);
  });
});
