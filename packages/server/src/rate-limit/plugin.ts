import fastifyRateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { problemOf, sendProblem } from '../api/problems.js';
import {
  type RateLimitPluginOptions,
  type RateLimitSettings,
  rateLimitSettings,
} from './options.js';

/** Counts one request against its key's budget and says where the budget stands. */
type Limiter = ReturnType<FastifyInstance['createRateLimit']>;

/** Adds the counting hook; see {@link rateLimitPlugin}. */
async function limitEachApiKey(app: FastifyInstance, options: RateLimitPluginOptions) {
  const settings = rateLimitSettings(options);
  const limit = await createLimiter(app, settings);
  app.addHook('preParsing', (request, reply, payload, done) => {
    if (request.principal === undefined) {
      done(null, payload);
      return;
    }
    limit(request).then(
      (state) => {
        // Only an allow list lets a request through uncounted, and this limiter has none.
        if (state.isAllowed) return done(null, payload);
        const resetSeconds = Math.max(1, state.ttlInSeconds);
        reply
          .header('x-ratelimit-limit', state.max)
          .header('x-ratelimit-remaining', state.remaining)
          .header('x-ratelimit-reset', resetSeconds);
        if (!state.isExceeded) return done(null, payload);
        // Answered here, so `done` is not called: the request goes no further.
        refuse(request, reply, settings, resetSeconds);
      },
      (error: unknown) => {
        request.log.warn({ err: error }, 'rate limit store failed; request served unlimited');
        done(null, payload);
      },
    );
  });
}

/**
 * `@fastify/rate-limit` registered in a scope of its own (its decorators and route hook stay
 * there), as a function that counts a request and leaves answering to the caller.
 */
async function createLimiter(app: FastifyInstance, settings: RateLimitSettings): Promise<Limiter> {
  let limiter: Limiter | undefined;
  await app.register(async (scope) => {
    await scope.register(fastifyRateLimit, {
      global: false,
      max: settings.max,
      timeWindow: settings.windowMs,
      keyGenerator: (request) => request.principal?.actor.id ?? '',
      ...(settings.redis === undefined
        ? {}
        : { redis: settings.redis, nameSpace: settings.keyPrefix }),
    });
    limiter = scope.createRateLimit();
  });
  return limiter as Limiter;
}

function refuse(
  request: FastifyRequest,
  reply: FastifyReply,
  settings: RateLimitSettings,
  resetSeconds: number,
): void {
  reply.header('retry-after', resetSeconds);
  sendProblem(
    reply,
    problemOf(
      request,
      429,
      'rate_limited',
      `This API key has used its ${settings.max} request${settings.max === 1 ? '' : 's'} of the current ${describeWindow(settings.windowMs)} window; it resets in ${resetSeconds} s.`,
      {
        hint: 'Wait the Retry-After seconds before sending more, and spread requests out to stay under the limit.',
      },
    ),
  );
}

function describeWindow(windowMs: number): string {
  return windowMs % 1000 === 0 ? `${windowMs / 1000} s` : `${windowMs} ms`;
}

/**
 * Limits each API key to `max` requests per `windowMs` (by default 600 a minute), counted in
 * Redis when a client is given (every server on that Redis and `keyPrefix` shares one budget per
 * key) or in memory otherwise; the counting is `@fastify/rate-limit`'s, keyed by the
 * authenticated key's id (`request.principal.actor.id`).
 *
 * It runs in `preParsing`, after every `onRequest` hook (the API authenticates there) and before
 * a body is read, so a key over its budget cannot make the server read an upload. Requests
 * without a principal (refused as unauthenticated, `/healthz`, unknown routes) are not counted.
 *
 * Every counted response carries `X-RateLimit-Limit`, `X-RateLimit-Remaining` and
 * `X-RateLimit-Reset` (seconds until the window resets). A request over the budget is answered
 * `429` with `Retry-After` (whole seconds) and a `rate_limited` problem. When the store fails
 * (Redis unreachable), the request is served unlimited and a warning logged, so a Redis outage
 * does not take the API down with it.
 *
 * Its hook is the server's own (the plugin is not encapsulated), so it reaches every route,
 * whether their plugins are registered before it or after.
 */
export const rateLimitPlugin = fp(limitEachApiKey, { fastify: '5.x', name: 'prism-rate-limit' });

export type { RateLimitPluginOptions } from './options.js';
