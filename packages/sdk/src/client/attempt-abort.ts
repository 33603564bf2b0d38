/** Milliseconds on a clock that only goes forward: `performance` where the runtime has it. */
export const stopwatch: { now(): number } = globalThis.performance ?? Date;

/**
 * Times out attempts with one timer, set for the earliest deadline of the attempts in flight,
 * rather than one timer per attempt (Node spends more setting and clearing a timer than on the
 * rest of an attempt's bookkeeping). In Node the timer stays set when no attempt is left (it
 * keeps no process alive); where timers cannot be made so, it is cleared then.
 */
export class AttemptClock {
  readonly #pending = new Set<AttemptAbort>();
  #timer: ReturnType<typeof setTimeout> | undefined;
  #armedFor = Number.POSITIVE_INFINITY;
  #keepsAlive = false;

  /** Times `abort` out at its deadline unless it is {@link forget}ten first. */
  watch(abort: AttemptAbort): void {
    this.#pending.add(abort);
    if (abort.deadline < this.#armedFor) this.#arm(abort.deadline);
  }

  /** Stops watching `abort`. */
  forget(abort: AttemptAbort): void {
    this.#pending.delete(abort);
    if (this.#keepsAlive && this.#pending.size === 0) this.#disarm();
  }

  #arm(deadline: number): void {
    this.#disarm();
    this.#armedFor = deadline;
    const timer = setTimeout(fire, Math.max(1, deadline - stopwatch.now()), this);
    const { unref } = timer as { unref?: () => void };
    if (unref) unref.call(timer);
    this.#keepsAlive = !unref;
    this.#timer = timer;
  }

  #disarm(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#armedFor = Number.POSITIVE_INFINITY;
  }

  /** Times out every attempt past its deadline, and waits for the next one. */
  expire(): void {
    this.#timer = undefined;
    this.#armedFor = Number.POSITIVE_INFINITY;
    const now = stopwatch.now();
    let next = Number.POSITIVE_INFINITY;
    for (const abort of this.#pending) {
      if (abort.deadline <= now) {
        this.#pending.delete(abort);
        abort.timeOut();
      } else if (abort.deadline < next) {
        next = abort.deadline;
      }
    }
    if (next !== Number.POSITIVE_INFINITY) this.#arm(next);
  }
}

function fire(clock: AttemptClock): void {
  clock.expire();
}

/**
 * Ends one attempt, once: when its time is up (on an {@link AttemptClock}) or when the caller's
 * signal aborts; the wire that sends the attempt listens to it. No `AbortSignal` is made per
 * attempt ({@link signal} makes one for a `fetch` only).
 */
export class AttemptAbort {
  /** Why the attempt ended, once it has: the caller's reason, or a timeout error. */
  reason: unknown = undefined;
  /** Whether the attempt ended because its time was up. */
  timedOut = false;
  /** Whether the attempt has ended. */
  ended = false;
  /** When the attempt times out, in {@link stopwatch} milliseconds. */
  readonly deadline: number;
  readonly #timeoutMs: number;
  #clock: AttemptClock | undefined;
  readonly #callerSignal: AbortSignal | undefined;
  #onCallerAbort: (() => void) | undefined;
  #listeners: (() => void)[] = [];
  #controller: AbortController | undefined;

  /** Starts the attempt's time on `clock`; `callerSignal`, when given, ends the attempt too. */
  constructor(timeoutMs: number, clock: AttemptClock, callerSignal: AbortSignal | undefined) {
    this.#timeoutMs = timeoutMs;
    this.deadline = stopwatch.now() + timeoutMs;
    this.#clock = clock;
    clock.watch(this);
    this.#callerSignal = callerSignal;
    if (callerSignal) {
      this.#onCallerAbort = () => this.end(callerSignal.reason);
      callerSignal.addEventListener('abort', this.#onCallerAbort, { once: true });
    }
  }

  /** A real `AbortSignal` that aborts when the attempt ends (made on first use). */
  get signal(): AbortSignal {
    if (!this.#controller) {
      const controller = new AbortController();
      this.#controller = controller;
      if (this.ended) controller.abort(this.reason);
      else this.#listeners.push(() => controller.abort(this.reason));
    }
    return this.#controller.signal;
  }

  /** Calls `listener` when the attempt ends (once); the `abort` event is the only one. */
  once(_event: 'abort', listener: () => void): this {
    this.#listeners.push(listener);
    return this;
  }

  /** Stops calling `listener` when the attempt ends. */
  removeListener(_event: 'abort', listener: () => void): this {
    const index = this.#listeners.indexOf(listener);
    if (index >= 0) this.#listeners.splice(index, 1);
    return this;
  }

  /** Ends the attempt with `reason` (first call only) and tells every listener. */
  end(reason: unknown): void {
    if (this.ended) return;
    this.ended = true;
    this.reason = reason;
    this.release();
    const listeners = this.#listeners;
    this.#listeners = [];
    for (const listener of listeners) listener();
  }

  /** Stops the clock (a streamed body has no timeout once its headers arrived). */
  stopClock(): void {
    this.#clock?.forget(this);
    this.#clock = undefined;
  }

  /** Stops the clock and stops listening to the caller's signal: the attempt is over. */
  release(): void {
    this.stopClock();
    if (this.#onCallerAbort) this.#callerSignal?.removeEventListener('abort', this.#onCallerAbort);
    this.#onCallerAbort = undefined;
  }

  /** Ends the attempt as timed out. */
  timeOut(): void {
    if (this.ended) return;
    this.timedOut = true;
    this.end(new Error(`The attempt took longer than ${this.#timeoutMs} ms.`));
  }
}
