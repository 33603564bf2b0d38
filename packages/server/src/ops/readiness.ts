import type { Problem, Store } from '@prism/sdk';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { problemOf, sendProblem } from '../api/problems.js';

/** How long the database may take to answer the readiness check: 2 s. */
export const DEFAULT_READINESS_TIMEOUT_MS = 2000;

/** A tenant no API key belongs to: the readiness query finds nothing, cheaply. */
const PROBE_TENANT = '__readyz__';

/** Options of {@link readinessPlugin}. */
export interface ReadinessPluginOptions {
  /** The store whose database must answer. */
  store: Store;
  /** How long it may take, in milliseconds. Default {@link DEFAULT_READINESS_TIMEOUT_MS}. */
  timeoutMs?: number;
}

/** How a check ended: `ok`, or why not. */
type CheckResult = 'ok' | 'failed' | 'timeout';

/** A `not_ready` problem with the result of each check. */
type NotReadyProblem = Problem & { checks: Record<string, CheckResult> };

/**
 * Asks the database a trivial question (one API key of a tenant that has none). A failure is
 * logged with its error; the answer does not carry it.
 */
function queryDatabase(store: Store, log: FastifyBaseLogger): Promise<CheckResult> {
  return store.apiKeys.list(PROBE_TENANT, { limit: 1 }).then(
    (): CheckResult => 'ok',
    (error: unknown): CheckResult => {
      log.warn({ err: error }, 'readiness check: the database failed');
      return 'failed';
    },
  );
}

/** What `check` says within `timeoutMs`, or `timeout`. */
async function within(timeoutMs: number, check: Promise<CheckResult>): Promise<CheckResult> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  try {
    return await Promise.race([check, timedOut]);
  } finally {
    clearTimeout(timer);
  }
}

async function serveReadiness(app: FastifyInstance, options: ReadinessPluginOptions) {
  const timeoutMs = options.timeoutMs ?? DEFAULT_READINESS_TIMEOUT_MS;
  // While the database hangs, probes share the query under way rather than piling up more.
  let pending: Promise<CheckResult> | undefined;
  app.get('/readyz', { logLevel: 'warn' }, async (request, reply) => {
    pending ??= queryDatabase(options.store, request.log).finally(() => {
      pending = undefined;
    });
    const database = await within(timeoutMs, pending);
    if (database === 'ok') return { status: 'ready', checks: { database } };
    if (database === 'timeout') {
      request.log.warn(`readiness check: the database did not answer within ${timeoutMs} ms`);
    }
    const detail =
      database === 'timeout'
        ? `Not ready: the database did not answer within ${timeoutMs} ms.`
        : 'Not ready: the database check failed.';
    const problem: NotReadyProblem = {
      ...problemOf(request, 503, 'not_ready', detail, {
        hint: 'Check that the database is up and reachable from the server; the server log says more.',
      }),
      title: 'Service unavailable',
      checks: { database },
    };
    return sendProblem(reply, problem);
  });
}

/**
 * `GET /readyz`, the readiness probe: `200 { status: 'ready', checks: { database: 'ok' } }` when
 * the store's database answers a trivial query within `timeoutMs` (2 s unless set), else a `503`
 * `not_ready` problem naming the failing check in `checks` (`failed` or `timeout`). Probes
 * arriving while a query is under way wait for that one. Not authenticated, and logged only when
 * something is wrong. While the server is closing, it refuses new connections (and Fastify
 * answers `503` on a connection still open).
 *
 * `GET /healthz` (liveness) says only that the process answers; this says whether it can serve.
 */
export const readinessPlugin = fp(serveReadiness, { fastify: '5.x', name: 'prism-readiness' });
