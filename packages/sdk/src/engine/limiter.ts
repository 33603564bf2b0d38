import Bottleneck from 'bottleneck';
import { PrismError } from '../errors.js';

/** Limits on how fast provider calls start, on top of the concurrency limit. */
export interface RateLimit {
  /** Most provider calls started per second (a bottleneck reservoir refilled every second). */
  maxPerSecond?: number;
  /** Least time between the starts of two provider calls, in milliseconds (bottleneck `minTime`). */
  minTimeMs?: number;
}

/**
 * A bottleneck limiter for provider calls: at most `concurrency` in flight, started no faster
 * than `rateLimit` allows. Throws a `PrismError` (`invalid_argument`) for a concurrency or
 * `maxPerSecond` that is not a positive integer, or a negative `minTimeMs`.
 *
 * Bottleneck's in-memory store yields to the event loop with `setTimeout(0)` (at least 1 ms in
 * Node) several times per job: with the fast local `rules` provider that idle time was half of
 * a whole review (bench/full-review.ts: 1.1 s -> 0.59 s). This limiter's store yields with
 * `setImmediate`, which keeps the order and the timers (`minTime`, reservoir) unchanged.
 * bottleneck 2.19.5 is its last release; a test fails if the hook point ever disappears.
 */
export function createCallLimiter(concurrency: number, rateLimit: RateLimit = {}): Bottleneck {
  validate(concurrency, rateLimit);
  const { maxPerSecond, minTimeMs = 0 } = rateLimit;
  const limiter = new Bottleneck(
    maxPerSecond === undefined
      ? { maxConcurrent: concurrency, minTime: minTimeMs }
      : {
          maxConcurrent: concurrency,
          minTime: minTimeMs,
          reservoir: maxPerSecond,
          reservoirRefreshAmount: maxPerSecond,
          reservoirRefreshInterval: 1000,
        },
  );
  return patchYieldLoop(limiter);
}

/**
 * Makes a bottleneck limiter's in-memory store yield to the event loop with `setImmediate`
 * instead of `setTimeout(0)` (see {@link createCallLimiter}); order and timers (`minTime`,
 * reservoirs) stay as they were. A limiter clustered through Redis has no such hook and is left
 * as it is.
 */
export function patchYieldLoop(limiter: Bottleneck): Bottleneck {
  const store = (limiter as unknown as { _store?: { yieldLoop?: unknown } })._store;
  if (store && typeof store.yieldLoop === 'function') {
    store.yieldLoop = () => new Promise<void>((resolve) => setImmediate(resolve));
  }
  return limiter;
}

function validate(concurrency: number, { maxPerSecond, minTimeMs }: RateLimit): void {
  const problems: string[] = [];
  if (!isPositiveInteger(concurrency)) {
    problems.push(`concurrency must be a positive integer, not ${concurrency}`);
  }
  if (maxPerSecond !== undefined && !isPositiveInteger(maxPerSecond)) {
    problems.push(`rateLimit.maxPerSecond must be a positive integer, not ${maxPerSecond}`);
  }
  if (minTimeMs !== undefined && !(Number.isFinite(minTimeMs) && minTimeMs >= 0)) {
    problems.push(`rateLimit.minTimeMs must be a number of milliseconds >= 0, not ${minTimeMs}`);
  }
  if (problems.length > 0) {
    throw new PrismError('invalid_argument', `Invalid review options: ${problems.join('; ')}.`, {
      hint: 'Use whole numbers of at least 1 for concurrency and calls per second.',
    });
  }
}

function isPositiveInteger(value: number): boolean {
  return Number.isInteger(value) && value >= 1;
}
