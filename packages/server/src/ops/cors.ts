import cors from '@fastify/cors';
import { PrismError } from '@prism/sdk';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/** Options of {@link corsPlugin}. */
export interface CorsPluginOptions {
  /** The origins (`https://app.example.com`) allowed to call the API from a browser. */
  origins: readonly string[];
}

/** The API's methods. */
export const CORS_METHODS: readonly string[] = ['GET', 'HEAD', 'POST', 'PATCH', 'DELETE'];

/**
 * The request headers a browser may send: the API's own, and `User-Agent`, which the SDK sets and
 * a browser that lets it through asks leave for.
 */
export const CORS_ALLOWED_HEADERS: readonly string[] = [
  'Authorization',
  'Content-Type',
  'Idempotency-Key',
  'X-Request-Id',
  'User-Agent',
];

/**
 * The response headers a browser's script may read: the request id, the rate limit's and
 * retries' (as the SDK reads them), whether an answer is a replay, and an export's filename.
 */
export const CORS_EXPOSED_HEADERS: readonly string[] = [
  'X-Request-Id',
  'Retry-After',
  'X-RateLimit-Limit',
  'X-RateLimit-Remaining',
  'X-RateLimit-Reset',
  'X-Should-Retry',
  'Idempotent-Replayed',
  'Content-Disposition',
];

/** How long a browser may keep a preflight's answer, in seconds: 10 minutes. */
export const CORS_MAX_AGE_SECONDS = 600;

/**
 * Each origin exactly as a browser sends it in `Origin` (scheme, host and port, no path).
 *
 * @throws {PrismError} `invalid_config` naming the first origin that is not one.
 */
function checkedOrigins(origins: readonly string[]): string[] {
  return origins.map((origin) => {
    let parsed: URL | undefined;
    try {
      parsed = new URL(origin);
    } catch {
      parsed = undefined;
    }
    if (parsed?.origin !== origin) {
      throw new PrismError('invalid_config', `The CORS origin "${origin}" is not an origin.`, {
        hint: `Give each origin as a browser sends it: scheme, host and port if not the default, no path or trailing slash, e.g. ${parsed?.origin && parsed.origin !== 'null' ? parsed.origin : 'https://app.example.com'}.`,
      });
    }
    return origin;
  });
}

async function allowOrigins(app: FastifyInstance, options: CorsPluginOptions) {
  const origins = checkedOrigins(options.origins);
  if (origins.length === 0) return;
  await app.register(cors, {
    origin: origins,
    credentials: false,
    methods: [...CORS_METHODS],
    allowedHeaders: [...CORS_ALLOWED_HEADERS],
    exposedHeaders: [...CORS_EXPOSED_HEADERS],
    maxAge: CORS_MAX_AGE_SECONDS,
  });
}

/**
 * Cross-origin requests from browsers (`@fastify/cors`): off when `origins` is empty (no CORS
 * header is sent and a preflight finds no route); else exactly those origins may call the API,
 * without credentials (API keys go in `Authorization`, never in cookies), with a preflight that
 * allows the API's methods and headers and is cached 10 minutes. Scripts may read the request id,
 * rate limit and retry headers.
 *
 * @throws {PrismError} `invalid_config` when an origin is not one (has a path, a trailing slash,
 *   or no scheme): it would never match what a browser sends.
 */
export const corsPlugin = fp(allowOrigins, { fastify: '5.x', name: 'prism-cors' });
