import Bottleneck from 'bottleneck';
import { PrismError } from '../errors.js';
import { sleep } from './sleep.js';

/** Client-side rate limiting, off unless set. */
export interface RateLimitOptions {
  /**
   * Most requests started per second. Starts are spaced evenly (bottleneck `minTime` of
   * `1000 / maxPerSecond` ms), so no one-second window ever holds more, however it is aligned.
   */
  maxPerSecond?: number;
  /** Most requests in flight at once (bottleneck `maxConcurrent`). */
  maxConcurrent?: number;
}

/**
 * Decides when each attempt may start: after any back-off the server asked for (a 429's
 * `Retry-After`, or an exhausted `X-RateLimit-Remaining` until `X-RateLimit-Reset`), which holds
 * every request of the transport, not just the one that was refused; then within the opt-in
 * {@link RateLimitOptions} limits.
 */
export class RequestScheduler {
  readonly #limiter: Bottleneck | undefined;
  #pausedUntil = 0;

  constructor(options: RateLimitOptions | undefined) {
    this.#limiter = options === undefined ? undefined : createLimiter(options);
  }

  /** Holds every attempt that has not started yet for `ms` milliseconds from now. */
  pause(ms: number): void {
    this.#pausedUntil = Math.max(this.#pausedUntil, Date.now() + ms);
  }

  /** Runs `task` once the back-off has passed and the limits allow; a `signal` abort ends the wait. */
  run<R>(task: () => Promise<R>, signal: AbortSignal | undefined): Promise<R> {
    if (!this.#limiter && Date.now() >= this.#pausedUntil) return task();
    return this.#runLater(task, signal);
  }

  async #runLater<R>(task: () => Promise<R>, signal: AbortSignal | undefined): Promise<R> {
    while (Date.now() < this.#pausedUntil && !signal?.aborted) {
      await sleep(this.#pausedUntil - Date.now(), signal);
    }
    return this.#limiter ? this.#limiter.schedule(task) : task();
  }
}

function createLimiter({ maxPerSecond, maxConcurrent }: RateLimitOptions): Bottleneck {
  if (maxPerSecond !== undefined && !(Number.isFinite(maxPerSecond) && maxPerSecond > 0)) {
    throw new PrismError(
      'invalid_argument',
      `rateLimit.maxPerSecond must be a positive number, not ${maxPerSecond}.`,
    );
  }
  if (maxConcurrent !== undefined && !(Number.isInteger(maxConcurrent) && maxConcurrent > 0)) {
    throw new PrismError(
      'invalid_argument',
      `rateLimit.maxConcurrent must be a positive integer, not ${maxConcurrent}.`,
    );
  }
  return new Bottleneck({
    maxConcurrent: maxConcurrent ?? null,
    minTime: maxPerSecond === undefined ? 0 : Math.ceil(1000 / maxPerSecond),
  });
}
