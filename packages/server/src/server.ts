import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';

/** Options of {@link buildServer}. */
export interface ServerOptions {
  /** Fastify's logger setting: `false` (the default) for none, `true` or pino options for JSON logs. */
  logger?: FastifyServerOptions['logger'];
}

/**
 * Builds the Prism HTTP server without starting it: call `listen()` to serve, or `inject()` to
 * exercise it in tests.
 *
 * Routes: `GET /healthz` answers `200 {"status":"ok"}`. Any other route answers 404 as an
 * RFC 9457 problem (`application/problem+json`) with the Prism error code `not_found`.
 */
export function buildServer(options: ServerOptions = {}): FastifyInstance {
  const app = Fastify({ logger: options.logger ?? false });

  app.get('/healthz', async () => ({ status: 'ok' }));

  app.setNotFoundHandler(async (request, reply) => {
    return reply
      .code(404)
      .type('application/problem+json')
      .send({
        type: 'about:blank',
        title: 'Not Found',
        status: 404,
        detail: `There is no route ${request.method} ${request.url}.`,
        code: 'not_found',
      });
  });

  return app;
}
