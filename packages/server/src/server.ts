import { randomBytes } from 'node:crypto';
import type { PrismService } from '@prism/sdk';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { ApiKeyAuthenticator } from './api/authenticate.js';
import { apiPlugin } from './api/plugin.js';
import { problemOf, problemOfError, sendProblem } from './api/problems.js';
import { validatorCompiler } from './api/validators.js';
import { OidcAuthenticator, type OidcOptions, RequestAuthenticator } from './auth/index.js';
import type { ConnectionHub } from './connections/hub.js';
import { oauthRoutes } from './connections/oauth-routes.js';
import {
  type IdempotencyStore,
  idempotencyPlugin,
  MemoryIdempotencyStore,
} from './idempotency/index.js';
import { type OpsOptions, opsPlugin, redactingLogger } from './ops/index.js';
import { type RateLimitPluginOptions, rateLimitPlugin } from './rate-limit/plugin.js';
import { type GraphHookRoutesOptions, graphHookRoutes } from './sharepoint/graph-hook-routes.js';

/** Options of {@link buildServer}. */
export interface ServerOptions {
  /** The operations the API serves, over the server's store. */
  service: PrismService;
  /** Fastify's logger setting: `false` (the default) for none, `true` or pino options for JSON logs. */
  logger?: FastifyServerOptions['logger'];
  /** Metrics, CORS and readiness settings; metrics and CORS are off unless set. */
  ops?: OpsOptions;
  /** Where `Idempotency-Key` answers are kept. Default: in memory. */
  idempotency?: IdempotencyStore;
  /** Requests per API key. Default: 600 a minute, counted in memory. */
  rateLimit?: RateLimitPluginOptions;
  /** An identity provider whose access tokens are accepted beside API keys. Default: none. */
  oidc?: OidcOptions | undefined;
  /**
   * The OAuth flows of connections (also given to the service as its `connectionFlows`): their
   * `/oauth/<provider>/start` and `/callback` routes are served. Default: none.
   */
  connections?: ConnectionHub;
  /**
   * What answers Microsoft Graph's notifications of SharePoint watches (the auto-reviewer): its
   * route `POST /hooks/graph` is served, without authentication. Default: none.
   */
  graphNotifications?: GraphHookRoutesOptions['notifications'];
}

/** A request id the client sent that is safe to echo: 1-128 letters, digits, `-`, `_`, `.`. */
const CLIENT_REQUEST_ID = /^[A-Za-z0-9._-]{1,128}$/;

/**
 * Builds the Prism HTTP server without starting it: call `listen()` to serve, or `inject()` to
 * exercise it in tests.
 *
 * Routes: every operation of `openapi/prism.yaml` under `/v2` (API key or, with `oidc`, access
 * token and role checked, request validated against the document), `GET /healthz`, and the ops
 * routes of {@link opsPlugin}
 * (`/readyz`, `/docs`, `/openapi.json`, `/metrics` when enabled), and with `connections` the
 * OAuth routes (`/oauth/<provider>/start`, `/oauth/<provider>/callback`), and with
 * `graphNotifications` Graph's `POST /hooks/graph`. Requests are limited per API
 * key (429 with `Retry-After`), and a POST with an `Idempotency-Key` is answered once: repeats
 * get the stored answer (Stripe's rules). Every answer carries
 * `X-Request-Id` (the client's own when it sent a well-formed one); every error is an RFC 9457
 * problem (`application/problem+json`) with a stable `code`, a `hint` and the request id. Logs
 * have secrets redacted ({@link redactingLogger}).
 */
export async function buildServer(options: ServerOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: redactingLogger(options.logger),
    requestIdHeader: false,
    genReqId: (request) => {
      const sent = request.headers['x-request-id'];
      return typeof sent === 'string' && CLIENT_REQUEST_ID.test(sent)
        ? sent
        : `req_${randomBytes(10).toString('hex')}`;
    },
  });

  app.setValidatorCompiler(validatorCompiler);
  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  app.setErrorHandler(async (error, request, reply) => {
    const problem = problemOfError(request, error);
    if (problem.status >= 500) request.log.error({ err: error }, 'request failed');
    return sendProblem(reply, problem);
  });
  app.setNotFoundHandler(async (request, reply) =>
    sendProblem(
      reply,
      problemOf(request, 404, 'not_found', `There is no route ${request.method} ${request.url}.`, {
        hint: 'See the API reference for the routes.',
      }),
    ),
  );

  app.get('/healthz', async () => ({ status: 'ok' }));
  await app.register(opsPlugin, { service: options.service, ...options.ops });
  await app.register(rateLimitPlugin, options.rateLimit ?? {});
  await app.register(idempotencyPlugin, {
    store: options.idempotency ?? new MemoryIdempotencyStore(),
  });
  const authenticator = new RequestAuthenticator(
    new ApiKeyAuthenticator(options.service.core.store),
    options.oidc === undefined ? undefined : new OidcAuthenticator(options.oidc),
  );
  await app.register(apiPlugin, { service: options.service, authenticator });
  if (options.connections !== undefined) {
    await app.register(oauthRoutes, {
      service: options.service,
      hub: options.connections,
      authenticator,
    });
  }
  if (options.graphNotifications !== undefined) {
    await app.register(graphHookRoutes, { notifications: options.graphNotifications });
  }
  return app;
}
