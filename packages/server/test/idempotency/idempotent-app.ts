import { Readable } from 'node:stream';
import multipart from '@fastify/multipart';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import { problemOf, problemOfError, sendProblem } from '../../src/api/problems.js';
import { readMultipartUpload } from '../../src/api/upload.js';
import type { IdempotencyStore } from '../../src/idempotency/idempotency-store.js';
import { idempotencyPlugin } from '../../src/idempotency/plugin.js';

/** The idempotency window of the test apps: one hour. */
export const TEST_TTL_MS = 60 * 60 * 1000;

/** A request held in its handler until the test lets it go on. */
export interface HeldRequest {
  /** Resolves once the handler has started. */
  entered: Promise<void>;
  /** Lets the handler finish. */
  release(): void;
}

/** A small API behind the idempotency plugin, with a counter of handler runs and a clock. */
export interface IdempotentApp {
  app: FastifyInstance;
  /** How many times a POST handler has run. */
  runs(): number;
  /** Moves the plugin's clock forward. */
  advance(ms: number): void;
  /** Makes the next `count` widget creations fail with a 500. */
  failNext(count: number): void;
  /** Holds the next `POST /v2/slow` in its handler. */
  holdNextSlow(): HeldRequest;
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve = () => {};
  const promise = new Promise<void>((done) => {
    resolve = done;
  });
  return { promise, resolve };
}

/** Authenticates as the `x-tenant` header's tenant, as the API plugin does from an API key. */
async function authenticate(request: FastifyRequest): Promise<void> {
  const tenant = request.headers['x-tenant'];
  request.principal = {
    tenantId: typeof tenant === 'string' ? tenant : 'tenant_a',
    role: 'admin',
    actor: { type: 'api_key', id: 'key_1', name: 'test key' },
  };
}

/**
 * An app shaped like the Prism server: request ids `req_1`, `req_2`, ... echoed as X-Request-Id,
 * problems for errors, and routes that authenticate in a route-level `onRequest` hook (the
 * tenant is the `x-tenant` header, `tenant_a` without it).
 */
export async function idempotentApp(store: IdempotencyStore): Promise<IdempotentApp> {
  let requests = 0;
  let runs = 0;
  let failures = 0;
  let time = Date.parse('2030-01-01T00:00:00.000Z');
  let held: { entered: () => void; proceed: Promise<void> } | undefined;

  const app = Fastify({ genReqId: () => `req_${++requests}` });
  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  app.setErrorHandler(async (error, request, reply) =>
    sendProblem(reply, problemOfError(request, error)),
  );
  await app.register(multipart);
  await app.register(idempotencyPlugin, { store, ttlMs: TEST_TTL_MS, now: () => new Date(time) });

  await app.register(async (api) => {
    const authenticated = { onRequest: authenticate };
    api.post('/v2/widgets', authenticated, async (request, reply) => {
      runs += 1;
      if (failures > 0) {
        failures -= 1;
        throw new Error('The widget store is down.');
      }
      const { name } = request.body as { name: string };
      if (name === '') {
        return sendProblem(
          reply,
          problemOf(request, 422, 'validation_failed', 'A widget needs a name.', {
            hint: 'Send a name.',
          }),
        );
      }
      const id = `wid_${runs}`;
      return reply.code(201).header('location', `/v2/widgets/${id}`).send({ id, name });
    });
    api.post('/v2/widgets/:id/archive', authenticated, async (_request, reply) => {
      runs += 1;
      return reply.code(204).send();
    });
    api.get('/v2/widgets', authenticated, async () => {
      runs += 1;
      return { runs };
    });
    api.post('/v2/slow', authenticated, async () => {
      runs += 1;
      const hold = held;
      held = undefined;
      hold?.entered();
      await hold?.proceed;
      return { run: runs };
    });
    api.post('/v2/events', authenticated, async (_request, reply) => {
      runs += 1;
      return reply.type('text/event-stream').send(Readable.from([`data: ${runs}\n\n`]));
    });
    api.post(
      '/v2/uploads',
      { ...authenticated, preValidation: readMultipartUpload },
      async (request) => {
        runs += 1;
        return { run: runs, fields: request.body, size: request.upload?.bytes.byteLength };
      },
    );
  });
  await app.ready();

  return {
    app,
    runs: () => runs,
    advance: (ms) => {
      time += ms;
    },
    failNext: (count) => {
      failures = count;
    },
    holdNextSlow: () => {
      const entered = deferred();
      const proceed = deferred();
      held = { entered: entered.resolve, proceed: proceed.promise };
      return { entered: entered.promise, release: proceed.resolve };
    },
  };
}
