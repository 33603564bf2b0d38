import Bottleneck from 'bottleneck';
import { PrismError } from '../../../errors.js';
import { patchYieldLoop } from '../../limiter.js';
import type {
  ModelClient,
  TextEvent,
  TextRequest,
  ToolAnswer,
  ToolRequest,
} from '../model/model-client.js';
import { GiveBacks } from './give-backs.js';
import { holdSlot, type ReleaseSlot } from './limiter-slot.js';
import { estimateRequestTokens } from './token-estimate.js';

/** The limits of a {@link limitModelClient} wrapper; each one is optional. */
export interface ModelClientLimits {
  /** Most requests started in any window of `windowMs` (each request weighing 1). */
  requestsPerMinute?: number;
  /**
   * Most tokens started in any window of `windowMs` (each request weighing its
   * {@link estimateRequestTokens} estimate). A request estimated above it fails at once.
   */
  tokensPerMinute?: number;
  /** Most requests in flight at once (a streamed answer counts until it ends). */
  maxConcurrent?: number;
  /**
   * A Redis connection through which every process using the same `id` shares one budget:
   * `new Bottleneck.IORedisConnection({ client, Redis })` with an ioredis client that is not
   * `lazyConnect` (the connection waits for it and its duplicate to be ready) and the ioredis
   * `Redis` class. The caller creates it and disconnects it after {@link LimitedModelClient.stop}.
   */
  connection?: Bottleneck.IORedisConnection;
  /**
   * The budget's name in Redis, stable across processes. Default: the client's id. Processes
   * sharing it must use the same limits: the first one to create the budget sets them.
   */
  id?: string;
  /**
   * The window the limits count over, in milliseconds: the requests (and tokens) started in any
   * window of this length never pass the limits. Default 60,000 (per minute).
   */
  windowMs?: number;
}

/** What the limits of a {@link LimitedModelClient} allow now. */
export interface LimiterCounts {
  /** Requests left in this interval (the shared budget with Redis), or null without that limit. */
  requestsLeft: number | null;
  /** Tokens left in this interval (the shared budget with Redis), or null without that limit. */
  tokensLeft: number | null;
  /** Requests of this process waiting for a slot. */
  queued: number;
  /** Requests of this process in flight (only counted with `requestsPerMinute` or `maxConcurrent`). */
  running: number;
}

/** A {@link ModelClient} whose calls wait for its limits. */
export interface LimitedModelClient extends ModelClient {
  /** What the limits allow now (for metrics and tests). */
  counts(): Promise<LimiterCounts>;
  /**
   * Rejects the requests still waiting (`rate_limiter_stopped`), waits for those in flight and
   * detaches from Redis; the caller's connection stays open. Calling it again does nothing more.
   */
  stop(): Promise<void>;
}

/** The window the limits count over unless the caller says otherwise: a minute. */
export const DEFAULT_LIMIT_WINDOW_MS = 60_000;

/** A shared budget left untouched this long is removed from Redis (recreated on the next call). */
const REDIS_IDLE_TTL_MS = 10 * 60_000;

/**
 * Wraps `client` so its calls keep within a provider's quotas, with bottleneck:
 *
 * - `requestsPerMinute`: a reservoir of requests, one taken by each call as it starts;
 * - `tokensPerMinute`: a reservoir of tokens, each call taking {@link estimateRequestTokens}
 *   (`ceil(chars / 4)` of everything sent, plus `maxOutputTokens`). A request estimated above
 *   the whole budget rejects at once with a `PrismError` (`request_exceeds_token_limit`)
 *   instead of waiting forever;
 * - `maxConcurrent`: requests in flight at once.
 *
 * What a call takes from a reservoir is given back `windowMs` after it started (a sliding
 * window, not a refill at fixed times, which would let twice the limit through in a window
 * straddling a refill): the calls started in any window of `windowMs` never pass the limits.
 *
 * A call first takes a request slot (held until it ends), then its tokens, then runs. A
 * `streamText` stream takes its slot when iteration starts and holds it until the stream ends.
 * A request's `signal` aborting while it waits rejects it at once with the signal's reason.
 *
 * With `connection`, the limiters are clustered through Redis under `id` (keys
 * `b_prism:model-limit:<id>:requests…` and `…:tokens…`), so every process with the same `id`
 * shares one budget; it expires from Redis after 10 minutes (or two windows, if longer) without
 * calls. What a process took is given back by that process: if it dies, its share of the last
 * window returns only when the idle budget expires. Throws a `PrismError` (`invalid_argument`) for a limit that is not a
 * whole number of at least 1.
 */
export function limitModelClient(
  client: ModelClient,
  limits: ModelClientLimits = {},
): LimitedModelClient {
  validateLimits(limits);
  const { requestsPerMinute, tokensPerMinute, maxConcurrent } = limits;
  const windowMs = limits.windowMs ?? DEFAULT_LIMIT_WINDOW_MS;
  const budgetId = `prism:model-limit:${limits.id ?? client.id}`;
  const limiterOf = (name: string, perWindow: number | undefined, concurrent?: number) =>
    createLimiter({
      id: `${budgetId}:${name}`,
      perWindow,
      maxConcurrent: concurrent,
      windowMs,
      connection: limits.connection,
    });
  const calls =
    requestsPerMinute !== undefined || maxConcurrent !== undefined
      ? limiterOf('requests', requestsPerMinute, maxConcurrent)
      : undefined;
  const tokens = tokensPerMinute !== undefined ? limiterOf('tokens', tokensPerMinute) : undefined;

  const giveBacks = new GiveBacks(windowMs);
  let stopped: Promise<void> | undefined;

  async function acquire(request: ToolRequest | TextRequest): Promise<ReleaseSlot> {
    const weight = estimateRequestTokens(request);
    if (tokensPerMinute !== undefined && weight > tokensPerMinute) {
      throw new PrismError(
        'request_exceeds_token_limit',
        `A request to ${client.id} is estimated at ${weight} tokens, more than its whole budget of ${tokensPerMinute} tokens per interval.`,
        {
          hint: 'Lower maxOutputTokens, split the section, or raise tokensPerMinute to the quota the account really has.',
        },
      );
    }
    const releaseCall = calls
      ? await giveBacks.whileWaiting(() => holdSlot(calls, 1, request.signal))
      : () => {};
    if (requestsPerMinute !== undefined && calls) giveBacks.later(calls, 1);
    try {
      if (tokens) {
        (await giveBacks.whileWaiting(() => holdSlot(tokens, weight, request.signal)))();
        giveBacks.later(tokens, weight);
      }
    } catch (error) {
      releaseCall();
      throw error;
    }
    return releaseCall;
  }

  return {
    id: client.id,
    async callTool(request: ToolRequest): Promise<ToolAnswer> {
      const release = await acquire(request);
      try {
        return await client.callTool(request);
      } finally {
        release();
      }
    },
    async *streamText(request: TextRequest): AsyncIterable<TextEvent> {
      const release = await acquire(request);
      try {
        yield* client.streamText(request);
      } finally {
        release();
      }
    },
    async counts(): Promise<LimiterCounts> {
      const [requestsLeft, tokensLeft] = await Promise.all([
        requestsPerMinute !== undefined && calls ? calls.currentReservoir() : null,
        tokens ? tokens.currentReservoir() : null,
      ]);
      const waiting = (limiter: Bottleneck | undefined) => {
        const counts = limiter?.counts();
        return counts ? counts.RECEIVED + counts.QUEUED : 0;
      };
      const inFlight = calls?.counts();
      return {
        requestsLeft,
        tokensLeft,
        queued: waiting(calls) + waiting(tokens),
        running: inFlight ? inFlight.RUNNING + inFlight.EXECUTING : 0,
      };
    },
    stop(): Promise<void> {
      giveBacks.clear();
      stopped ??= Promise.all(
        [calls, tokens].map(async (limiter) => {
          if (!limiter) return;
          await limiter.stop({ dropWaitingJobs: true });
          await limiter.disconnect();
        }),
      ).then(() => undefined);
      return stopped;
    },
  };
}

interface LimiterSettings {
  id: string;
  perWindow: number | undefined;
  maxConcurrent: number | undefined;
  windowMs: number;
  connection: Bottleneck.IORedisConnection | undefined;
}

function createLimiter(settings: LimiterSettings): Bottleneck {
  const { id, perWindow, maxConcurrent, windowMs, connection } = settings;
  const store = connection
    ? { connection, timeout: Math.max(REDIS_IDLE_TTL_MS, 2 * windowMs) }
    : {};
  return patchYieldLoop(
    new Bottleneck({
      id,
      maxConcurrent: maxConcurrent ?? null,
      ...(perWindow === undefined ? {} : { reservoir: perWindow }),
      ...store,
    }),
  );
}

function validateLimits(limits: ModelClientLimits): void {
  const problems: string[] = [];
  for (const name of [
    'requestsPerMinute',
    'tokensPerMinute',
    'maxConcurrent',
    'windowMs',
  ] as const) {
    const value = limits[name];
    if (value !== undefined && !(Number.isInteger(value) && value >= 1)) {
      problems.push(`${name} must be a whole number of at least 1, not ${value}`);
    }
  }
  if (limits.id !== undefined && limits.id.trim() === '') problems.push('id must not be empty');
  if (problems.length > 0) {
    throw new PrismError(
      'invalid_argument',
      `Invalid model client limits: ${problems.join('; ')}.`,
      {
        hint: 'Use whole numbers of at least 1 from the provider quota, e.g. requestsPerMinute: 50.',
      },
    );
  }
}
