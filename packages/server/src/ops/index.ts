import type { AutoReviewStats } from '@prism/connector-sharepoint';
import type { PrismService } from '@prism/sdk';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { corsPlugin } from './cors.js';
import { docsPlugin } from './docs.js';
import { metricsPlugin } from './metrics.js';
import { readinessPlugin } from './readiness.js';

/** The server's operational settings; every one is optional. */
export interface OpsOptions {
  /** Serve `GET /metrics` (unauthenticated: do not expose it publicly). Default `false`. */
  metrics?: boolean;
  /** Origins allowed to call the API from a browser. Default none: CORS is off. */
  corsOrigins?: readonly string[];
  /** How long the database may take to answer `GET /readyz`, in milliseconds. Default 2000. */
  readinessTimeoutMs?: number;
  /** The counts of SharePoint auto-review, shown in the metrics when it runs. */
  sharePointStats?: () => AutoReviewStats;
}

/** Options of {@link opsPlugin}: the settings and the service they observe. */
export interface OpsPluginOptions extends OpsOptions {
  /** The service whose store is checked for readiness, and whose work is counted. */
  service: PrismService;
}

async function registerOps(app: FastifyInstance, options: OpsPluginOptions) {
  await app.register(corsPlugin, { origins: options.corsOrigins ?? [] });
  await app.register(readinessPlugin, {
    store: options.service.core.store,
    ...(options.readinessTimeoutMs === undefined ? {} : { timeoutMs: options.readinessTimeoutMs }),
  });
  if (options.metrics === true) {
    await app.register(metricsPlugin, {
      service: options.service,
      ...(options.sharePointStats === undefined
        ? {}
        : { sharePointStats: options.sharePointStats }),
    });
  }
  await app.register(docsPlugin);
}

/**
 * The server's ops surface, one plugin per concern: CORS ({@link corsPlugin}), `GET /readyz`
 * ({@link readinessPlugin}), `GET /metrics` when enabled ({@link metricsPlugin}), and the API
 * reference at `GET /docs` with the document at `GET /openapi.json` ({@link docsPlugin}).
 * Register it before the API so its hooks see every route.
 */
export const opsPlugin = fp(registerOps, { fastify: '5.x', name: 'prism-ops' });

export { type LoggerSetting, redactingLogger } from './logging.js';
