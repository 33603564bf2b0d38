import { setTimeout as wait } from 'node:timers/promises';
import { ModelError } from './model-error.js';

/** Waits `ms` milliseconds; rejects when `signal` aborts. */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

/** How retryable model failures are retried. */
export interface RetrySettings {
  /** Most retries after the first attempt. */
  maxRetries: number;
  /** The backoff before the first retry; it doubles with every retry. */
  baseDelayMs: number;
  /**
   * The longest backoff; a service asking for a longer wait (`retryAfterMs`) is not waited
   * for: its error is thrown at once, so a fallback provider can take over.
   */
  maxDelayMs: number;
  /** How to wait. */
  sleep: Sleep;
}

/** Waits with a real timer, abortable. */
export const realSleep: Sleep = async (ms, signal) => {
  await wait(ms, undefined, signal === undefined ? undefined : { signal });
};

/**
 * Runs `call`, retrying a {@link ModelError} that is `retryable` up to `maxRetries` times.
 * Before retry `n` (from 0) it waits a random time between half and all of
 * `min(maxDelayMs, baseDelayMs * 2^n)`; when the service said how long to wait
 * (`retryAfterMs`), at least that plus up to `baseDelayMs` of jitter. Any other error, the
 * last retryable one, or one asking to wait longer than `maxDelayMs` is thrown; so is the
 * signal's reason once it aborts.
 */
export async function withRetries<T>(
  call: () => Promise<T>,
  settings: RetrySettings,
  signal?: AbortSignal,
): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    signal?.throwIfAborted();
    try {
      return await call();
    } catch (error) {
      signal?.throwIfAborted();
      const delay = retryDelay(error, attempt, settings);
      if (delay === null) throw error;
      try {
        await settings.sleep(delay, signal);
      } catch (interruption) {
        signal?.throwIfAborted();
        throw interruption;
      }
    }
  }
}

/** How long to wait before retrying after `error`, or null to give up. */
function retryDelay(error: unknown, attempt: number, settings: RetrySettings): number | null {
  if (!(error instanceof ModelError) || !error.retryable || attempt >= settings.maxRetries) {
    return null;
  }
  const ceiling = Math.min(settings.maxDelayMs, settings.baseDelayMs * 2 ** attempt);
  const backoff = ceiling / 2 + (Math.random() * ceiling) / 2;
  const asked = error.retryAfterMs;
  if (asked === undefined) return Math.round(backoff);
  if (asked > settings.maxDelayMs) return null;
  return Math.round(Math.max(backoff, asked + Math.random() * settings.baseDelayMs));
}
