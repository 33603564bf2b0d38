import type { FastifyInstance, FastifyReply } from 'fastify';
import fastifyPlugin from 'fastify-plugin';
import type {} from '../api/plugin.js';
import { problemOf, sendProblem } from '../api/problems.js';
import type {} from '../api/upload.js';
import { requestFingerprint } from './fingerprint.js';
import type { IdempotencyClaim, IdempotencyStore, StoredResponse } from './idempotency-store.js';

/** How long a key is kept unless set: 24 hours, as the API reference promises. */
export const DEFAULT_IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
/** How often, at most, expired keys are purged: they are purged lazily, on a request's way. */
export const IDEMPOTENCY_PURGE_INTERVAL_MS = 60 * 1000;
/** A key the server takes: 1 to 255 printable ASCII characters (a UUID is best). */
const VALID_KEY = /^[\x20-\x7e]{1,255}$/;
/** How long a request may hold its key without answering: 5 minutes. */
export const DEFAULT_IDEMPOTENCY_LOCK_TIMEOUT_MS = 5 * 60 * 1000;

/** The headers of an answer that are kept and replayed with its body. */
const REPLAYED_HEADERS = ['content-type', 'content-disposition', 'location', 'x-request-id'];

/** Options of {@link idempotencyPlugin}. */
export interface IdempotencyPluginOptions {
  /** Where keys and their answers are kept. */
  store: IdempotencyStore;
  /** How long a key holds its answer, in milliseconds; 24 hours unless set. */
  ttlMs?: number;
  /**
   * How long a request may hold its key without answering before a retry takes the key over (its
   * server is taken to have died), in milliseconds; 5 minutes unless set.
   */
  lockTimeoutMs?: number;
  /** The clock; the system's unless set. */
  now?: () => Date;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The request's hold on its `Idempotency-Key`, from its claim until its answer is sent. */
    idempotencyClaim?: IdempotencyClaim;
  }
}

/**
 * Idempotency keys as Stripe has them. A `POST` with an `Idempotency-Key` header, by an
 * authenticated caller (`request.principal`, set by a route's `onRequest` hook), runs at most
 * once per tenant and key until the key expires (24 hours unless `ttlMs` says otherwise):
 *
 * - The first request claims the key before its handler runs (after authentication and request
 *   validation, so a request refused by either claims nothing), and its answer is kept when sent:
 *   status, body, and the `Content-Type`, `Content-Disposition`, `Location` and `X-Request-Id`
 *   headers. A 4xx answer is kept like a success; a 5xx answer, or a streamed one, is not, and
 *   the key is given up so that a retry runs again.
 * - A retry with the same method, URL and body gets the kept answer with `Idempotent-Replayed:
 *   true`, and the `X-Request-Id` of the original request (as Stripe does), so logs lead to the
 *   request that did the work; the handler does not run.
 * - The same key with another method, URL or body is a 409 `idempotency_key_reused`; the same
 *   key while its first request still runs is a 409 `idempotency_key_in_use` with `Retry-After:
 *   1` and `X-Should-Retry: true`; a key that is not 1-255 printable ASCII characters is a 400
 *   `invalid_idempotency_key`. Each is an RFC 9457 problem.
 * - An expired key is as good as new; expired keys are purged at most once a minute, by a
 *   request that passes by.
 *
 * A kept answer is kept whole, secrets in it included (a new API key, a webhook signing secret),
 * until its key expires. A claim whose server stops before answering holds its key until then.
 * Other methods, requests without the header and requests without a principal pass untouched.
 */
export const idempotencyPlugin = fastifyPlugin(
  async (app: FastifyInstance, options: IdempotencyPluginOptions) => {
    const { store } = options;
    const ttlMs = options.ttlMs ?? DEFAULT_IDEMPOTENCY_TTL_MS;
    const lockTimeoutMs = options.lockTimeoutMs ?? DEFAULT_IDEMPOTENCY_LOCK_TIMEOUT_MS;
    const now = options.now ?? (() => new Date());
    let nextPurgeAt = 0;

    app.addHook('preHandler', async (request, reply) => {
      const key = request.headers['idempotency-key'];
      const tenantId = request.principal?.tenantId;
      if (request.method !== 'POST' || key === undefined || tenantId === undefined) return;
      if (typeof key !== 'string' || !VALID_KEY.test(key)) {
        return sendProblem(
          reply,
          problemOf(
            request,
            400,
            'invalid_idempotency_key',
            'The Idempotency-Key header must be 1 to 255 printable ASCII characters.',
            { hint: 'Send a new UUID as the key for each distinct request.' },
          ),
        );
      }
      const createdAt = now();
      if (createdAt.getTime() >= nextPurgeAt) {
        nextPurgeAt = createdAt.getTime() + IDEMPOTENCY_PURGE_INTERVAL_MS;
        await store.purgeExpired(createdAt);
      }
      const claim: IdempotencyClaim = {
        tenantId,
        key,
        fingerprint: requestFingerprint(request),
        createdAt,
        expiresAt: new Date(createdAt.getTime() + ttlMs),
        staleBefore: new Date(createdAt.getTime() - lockTimeoutMs),
      };
      const outcome = await store.claim(claim);
      if (outcome.claimed) {
        request.idempotencyClaim = claim;
        return;
      }
      const { record } = outcome;
      if (record.fingerprint !== claim.fingerprint) {
        return sendProblem(
          reply,
          problemOf(
            request,
            409,
            'idempotency_key_reused',
            `The Idempotency-Key was used at ${record.createdAt.toISOString()} with another method, URL or body; it is kept until ${record.expiresAt.toISOString()}.`,
            {
              hint: 'Use a new key for a new request; retry with a key only to send the same request again.',
            },
          ),
        );
      }
      if (record.response === undefined) {
        // `x-should-retry` tells the Prism SDK to retry this 409, which it otherwise does not.
        reply.header('retry-after', '1').header('x-should-retry', 'true');
        return sendProblem(
          reply,
          problemOf(
            request,
            409,
            'idempotency_key_in_use',
            'Another request with this Idempotency-Key is still running.',
            { hint: "Retry after a moment: it will then get that request's answer." },
          ),
        );
      }
      return replay(reply, record.response);
    });

    app.addHook('onSend', async (request, reply, payload) => {
      const claim = request.idempotencyClaim;
      if (claim === undefined) return payload;
      request.idempotencyClaim = undefined;
      const body = bodyBytes(payload);
      if (body === undefined) {
        // A stream: its answer is not kept, and the key is given up once it has been sent (or
        // the client has gone).
        const giveUp = () => {
          reply.raw.off('finish', giveUp).off('close', giveUp);
          store.release(claim).catch((error: unknown) => {
            request.log.error({ err: error }, 'could not release the idempotency key');
          });
        };
        reply.raw.once('finish', giveUp).once('close', giveUp);
        return payload;
      }
      try {
        if (reply.statusCode >= 500) {
          await store.release(claim);
        } else {
          await store.complete(claim, { statusCode: reply.statusCode, headers: kept(reply), body });
        }
      } catch (error) {
        // The answer stands either way; a retry will run again or find the key in use.
        request.log.error({ err: error }, 'could not keep the answer of an idempotency key');
        await store.release(claim).catch(() => undefined);
      }
      return payload;
    });
  },
  { name: 'prism-idempotency', fastify: '5.x' },
);

/** Sends a kept answer again, marked as a replay. */
function replay(reply: FastifyReply, response: StoredResponse): FastifyReply {
  reply.code(response.statusCode).headers(response.headers).header('idempotent-replayed', 'true');
  return response.body.byteLength === 0 ? reply.send() : reply.send(Buffer.from(response.body));
}

/** The headers of `reply` that are kept with its answer. */
function kept(reply: FastifyReply): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const name of REPLAYED_HEADERS) {
    const value = reply.getHeader(name);
    if (value !== undefined) headers[name] = String(value);
  }
  return headers;
}

/** The bytes of a serialized answer; `undefined` for a stream, which cannot be kept. */
function bodyBytes(payload: unknown): Uint8Array | undefined {
  if (payload === undefined || payload === null) return new Uint8Array();
  if (typeof payload === 'string') return new TextEncoder().encode(payload);
  if (payload instanceof Uint8Array) return new Uint8Array(payload);
  return undefined;
}
