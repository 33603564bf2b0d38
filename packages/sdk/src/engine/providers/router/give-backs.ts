import type Bottleneck from 'bottleneck';

/**
 * What calls took from a limiter's reservoirs, each given back a window after the call started
 * (a sliding window). The timers keep the process alive only while a request waits for room:
 * an idle process with capacity still to come back is free to exit.
 */
export class GiveBacks {
  readonly #windowMs: number;
  readonly #timers = new Set<NodeJS.Timeout>();
  #waiting = 0;

  constructor(windowMs: number) {
    this.#windowMs = windowMs;
  }

  /** Gives `weight` back to `limiter` a window from now (unless it has stopped by then). */
  later(limiter: Bottleneck, weight: number): void {
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      limiter.incrementReservoir(weight).catch(() => undefined);
    }, this.#windowMs);
    if (this.#waiting === 0) timer.unref();
    this.#timers.add(timer);
  }

  /** Runs `wait` (a request waiting for room) with the give-back timers keeping the process up. */
  async whileWaiting<T>(wait: () => Promise<T>): Promise<T> {
    if (this.#waiting++ === 0) for (const timer of this.#timers) timer.ref();
    try {
      return await wait();
    } finally {
      if (--this.#waiting === 0) for (const timer of this.#timers) timer.unref();
    }
  }

  /** Cancels every give-back still to come (the limiters are stopping). */
  clear(): void {
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
  }
}
