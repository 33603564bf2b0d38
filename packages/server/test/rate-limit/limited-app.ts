import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { problemOf, sendProblem } from '../../src/api/problems.js';
import { type RateLimitPluginOptions, rateLimitPlugin } from '../../src/rate-limit/plugin.js';

/** A request's `Authorization` header for the API key `keyId` of {@link buildLimitedApp}. */
export function bearer(keyId: string): { authorization: string } {
  return { authorization: `Bearer ${keyId}` };
}

/**
 * A small server shaped like the Prism API: the rate limiter, then (in a plugin of their own)
 * routes whose route-level `onRequest` hook authenticates, taking the bearer token as the key id
 * and refusing a request without one with a 401 problem. `GET /healthz` needs no key.
 *
 * Routes: `GET /v2/documents` (an empty page), `POST /v2/documents` (a body with a string `name`
 * is required), `GET /healthz`.
 */
export async function buildLimitedApp(options: RateLimitPluginOptions): Promise<FastifyInstance> {
  const app = Fastify({ logger: false });
  app.get('/healthz', async () => ({ status: 'ok' }));
  await app.register(rateLimitPlugin, options);
  await app.register(async (api) => {
    api.get('/v2/documents', { onRequest: authenticate }, async () => ({
      data: [],
      hasMore: false,
      nextCursor: null,
    }));
    api.post(
      '/v2/documents',
      {
        onRequest: authenticate,
        schema: {
          body: {
            type: 'object',
            required: ['name'],
            properties: { name: { type: 'string' } },
          },
        },
      },
      async (_request, reply) => reply.code(201).send({ created: true }),
    );
  });
  return app;
}

/** Takes the bearer token as the API key's id, as the API's own hook takes the key's. */
async function authenticate(request: FastifyRequest, reply: FastifyReply) {
  const token = /^Bearer (\S+)$/.exec(request.headers.authorization ?? '')?.[1];
  if (token === undefined) {
    return sendProblem(
      reply,
      problemOf(request, 401, 'unauthorized', 'The request has no API key.', {
        hint: 'Send Authorization: Bearer <api key>.',
      }),
    );
  }
  request.principal = {
    tenantId: 'ten_test',
    role: 'viewer',
    actor: { type: 'api_key', id: token, name: `key ${token}` },
  };
}
