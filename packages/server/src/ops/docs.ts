import swagger, { type StaticDocumentSpec } from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { OPENAPI_DOCUMENT } from '../api/operations.js';

/** Where the API reference page is served. */
export const DOCS_PREFIX = '/docs';

/**
 * What the reference page may load: only what this server serves (the page, its scripts and
 * styles, the document), and images inlined as data. Nothing is fetched from elsewhere.
 */
const DOCS_CSP = [
  "default-src 'self'",
  "base-uri 'self'",
  "connect-src 'self'",
  "font-src 'self' data:",
  "frame-ancestors 'self'",
  "img-src 'self' data:",
  "object-src 'none'",
  "script-src 'self'",
  "script-src-attr 'none'",
  "style-src 'self'",
].join('; ');

async function serveDocs(app: FastifyInstance) {
  await app.register(swagger, {
    mode: 'static',
    // The document is the server's own, checked by its routes; plain JSON to the type system.
    specification: { document: OPENAPI_DOCUMENT as unknown as StaticDocumentSpec['document'] },
  });
  await app.register(swaggerUi, {
    routePrefix: DOCS_PREFIX,
    staticCSP: DOCS_CSP,
    theme: { title: 'Prism API reference' },
    uiConfig: { deepLinking: true, defaultModelsExpandDepth: 0 },
  });
  app.get('/openapi.json', { schema: { hide: true } }, async () => OPENAPI_DOCUMENT);
}

/**
 * The API reference: `GET /docs`, the OpenAPI document rendered by Swagger UI (its page, scripts
 * and styles served from `/docs/static/`, so nothing is fetched from the network, under a
 * content security policy that allows only this server), and the document itself at
 * `GET /openapi.json` (and `/docs/json`, `/docs/yaml`). Not authenticated.
 */
export const docsPlugin = fp(serveDocs, { fastify: '5.x', name: 'prism-docs' });
