import type { AutoReviewStats } from '@prism/connector-sharepoint';
import type { PrismService } from '@prism/sdk';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';
import { registerSharePointMetrics } from './sharepoint-metrics.js';

/** Options of {@link metricsPlugin}. */
export interface MetricsPluginOptions {
  /** The service whose reviews and webhook deliveries are counted. */
  service: PrismService;
  /** The counts of SharePoint auto-review, when it runs (see {@link registerSharePointMetrics}). */
  sharePointStats?: () => AutoReviewStats;
}

/** The route label of a request that matched no route. */
export const UNMATCHED_ROUTE = 'unmatched';

/** Probes and the scrape itself: frequent, and of no interest in the request metrics. */
const UNMEASURED_ROUTES: ReadonlySet<string> = new Set(['/healthz', '/readyz', '/metrics']);

async function serveMetrics(app: FastifyInstance, options: MetricsPluginOptions) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });

  const requestDuration = new Histogram({
    name: 'prism_http_request_duration_seconds',
    help: 'Time to answer an HTTP request, by method, route pattern and status code.',
    labelNames: ['method', 'route', 'status_code'] as const,
    registers: [registry],
  });
  const reviews = new Counter({
    name: 'prism_reviews_total',
    help: 'Reviews that ended in this process, by how they ended.',
    labelNames: ['status'] as const,
    registers: [registry],
  });
  const deliveries = new Counter({
    name: 'prism_webhook_deliveries_total',
    help: 'Webhook delivery attempts made by this process, by outcome.',
    labelNames: ['status'] as const,
    registers: [registry],
  });
  if (options.sharePointStats !== undefined) {
    registerSharePointMetrics(registry, options.sharePointStats);
  }
  // Each status is exported from the start, at 0, so rates and alerts see it before it happens.
  for (const status of ['succeeded', 'failed', 'canceled']) reviews.labels(status).inc(0);
  for (const status of ['succeeded', 'failed']) deliveries.labels(status).inc(0);

  const { core } = options.service;
  const stopCountingReviews = core.reviewBus.onEnded((review) =>
    reviews.labels(review.status).inc(),
  );
  const stopCountingDeliveries = core.webhooks.onAttempt((delivery) =>
    deliveries.labels(delivery.status).inc(),
  );
  app.addHook('onClose', async () => {
    stopCountingReviews();
    stopCountingDeliveries();
  });

  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url;
    if (route !== undefined && UNMEASURED_ROUTES.has(route)) return;
    requestDuration
      .labels(request.method, route ?? UNMATCHED_ROUTE, String(reply.statusCode))
      .observe(reply.elapsedTime / 1000);
  });

  app.get('/metrics', { logLevel: 'warn' }, async (_request, reply) =>
    reply.type(registry.contentType).send(await registry.metrics()),
  );
}

/**
 * `GET /metrics`: this server's metrics in the Prometheus text format, from a registry of its
 * own (never prom-client's global one, so servers in one process do not share counts):
 *
 * - the default process metrics (CPU, memory, event loop lag, GC, handles...);
 * - `prism_http_request_duration_seconds`, a histogram by `method`, `route` (the route's pattern,
 *   e.g. `/v2/reviews/:reviewId`, never the URL with its ids; `unmatched` for no route) and
 *   `status_code`; the probes and the scrape itself are left out;
 * - `prism_reviews_total` by `status` (`succeeded`, `failed`, `canceled`): reviews that ended in
 *   this process;
 * - `prism_webhook_deliveries_total` by `status` (`succeeded`, `failed`): delivery attempts this
 *   process made, first attempts and replays alike;
 * - with SharePoint auto-review, its notifications, rejections (`client_state_mismatch`...),
 *   runs, reviews started and skipped files (see {@link registerSharePointMetrics}).
 *
 * It is not authenticated: register it only when metrics are enabled, and do not expose it
 * publicly (serve it on an internal network, or block `/metrics` at the proxy), since it tells
 * anyone who asks about the traffic and the process.
 */
export const metricsPlugin = fp(serveMetrics, { fastify: '5.x', name: 'prism-metrics' });
