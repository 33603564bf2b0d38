import Bottleneck from 'bottleneck';
import { PrismError } from '../../../errors.js';

/** Gives a held limiter slot back. Calling it more than once does nothing more. */
export type ReleaseSlot = () => void;

/**
 * Waits for a slot of `weight` in `limiter` and holds it until the returned function is called:
 * the slot counts against `maxConcurrent` while held, and `weight` is taken from the reservoir
 * when it is granted.
 *
 * When `signal` aborts while waiting, the promise rejects at once with the signal's reason; the
 * limiter still grants the queued slot later (bottleneck cannot take a job back) and it is given
 * back at once, unused. A limiter that fails (stopped, or its Redis unreachable) rejects with a
 * `PrismError`: `rate_limiter_stopped` or `rate_limiter_unavailable`.
 */
export function holdSlot(
  limiter: Bottleneck,
  weight: number,
  signal: AbortSignal | undefined,
): Promise<ReleaseSlot> {
  if (signal?.aborted) return Promise.reject(signal.reason);
  return new Promise<ReleaseSlot>((resolve, reject) => {
    let settled = false;
    const onAbort = () => {
      settled = true;
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    limiter
      .schedule({ weight }, () => {
        signal?.removeEventListener('abort', onAbort);
        return new Promise<void>((release) => {
          if (settled) release();
          else {
            settled = true;
            resolve(release);
          }
        });
      })
      .catch((error: unknown) => {
        signal?.removeEventListener('abort', onAbort);
        if (settled) return;
        settled = true;
        reject(limiterFailure(error));
      });
  });
}

function limiterFailure(error: unknown): PrismError {
  if (error instanceof Bottleneck.BottleneckError) {
    return new PrismError(
      'rate_limiter_stopped',
      `The rate limiter was stopped: ${error.message}`,
      {
        hint: 'Create a new limited client; a stopped one takes no more calls.',
        cause: error,
      },
    );
  }
  const message = error instanceof Error ? error.message : String(error);
  return new PrismError('rate_limiter_unavailable', `The rate limiter failed: ${message}`, {
    hint: 'Check the Redis connection the limiter shares its budget through.',
    cause: error,
  });
}
