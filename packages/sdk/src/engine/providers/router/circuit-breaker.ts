import { PrismError } from '../../../errors.js';

/**
 * Where a {@link CircuitBreaker} stands: `closed` lets every call through, `open` lets none
 * through, `half-open` lets one trial call through to find out whether the provider recovered.
 */
export type BreakerState = 'closed' | 'open' | 'half-open';

/** A change of a breaker's state, as {@link CircuitBreakerOptions.onStateChange} reports it. */
export interface BreakerStateChange {
  /** The state before. */
  from: BreakerState;
  /** The state now. */
  to: BreakerState;
  /** When it changed, on the breaker's clock (milliseconds). */
  at: number;
}

/** How a {@link CircuitBreaker} decides. */
export interface CircuitBreakerOptions {
  /** Consecutive failures that open a closed breaker. Default 5. */
  failureThreshold?: number;
  /** How long an open breaker stays open before it allows a trial call, in milliseconds. Default 30,000. */
  coolDownMs?: number;
  /** The clock, in milliseconds. Default `Date.now`. */
  now?: () => number;
  /** Called on every change of state (for metrics and logs). */
  onStateChange?: (change: BreakerStateChange) => void;
}

/** A breaker's state with the numbers behind it, for metrics. */
export interface BreakerSnapshot {
  /** The state. */
  state: BreakerState;
  /** Failures since the last success. */
  consecutiveFailures: number;
  /** When the breaker last opened (its clock, milliseconds), or null when it is not open. */
  openedAt: number | null;
}

/** The failures that open a closed breaker, unless the caller says otherwise. */
export const DEFAULT_FAILURE_THRESHOLD = 5;

/** How long an open breaker waits before a trial call, unless the caller says otherwise. */
export const DEFAULT_COOL_DOWN_MS = 30_000;

/**
 * A circuit breaker for one provider. The caller asks {@link CircuitBreaker.tryAcquire} before a
 * call and reports how it ended with {@link CircuitBreaker.recordSuccess},
 * {@link CircuitBreaker.recordFailure} or {@link CircuitBreaker.release}.
 *
 * Closed, it lets every call through and counts consecutive failures; `failureThreshold` of them
 * open it. Open, it refuses calls until `coolDownMs` have passed; the first call after that turns
 * it half-open and is the one trial call (others are refused while it runs). The trial's success
 * closes the breaker; its failure opens it again for another cool-down. It has no timers: time
 * only passes through `now()`, so a fake clock drives it in tests.
 */
export class CircuitBreaker {
  readonly #failureThreshold: number;
  readonly #coolDownMs: number;
  readonly #now: () => number;
  readonly #onStateChange: ((change: BreakerStateChange) => void) | undefined;
  #state: BreakerState = 'closed';
  #consecutiveFailures = 0;
  #openedAt: number | null = null;
  #trialInFlight = false;

  constructor(options: CircuitBreakerOptions = {}) {
    const { failureThreshold = DEFAULT_FAILURE_THRESHOLD, coolDownMs = DEFAULT_COOL_DOWN_MS } =
      options;
    if (!Number.isInteger(failureThreshold) || failureThreshold < 1) {
      throw new PrismError(
        'invalid_argument',
        `failureThreshold must be a whole number of at least 1, not ${failureThreshold}.`,
        { hint: 'Use the number of consecutive failures that should open the breaker, e.g. 5.' },
      );
    }
    if (!Number.isFinite(coolDownMs) || coolDownMs < 0) {
      throw new PrismError(
        'invalid_argument',
        `coolDownMs must be a number of milliseconds >= 0, not ${coolDownMs}.`,
        { hint: 'Use how long an open breaker waits before a trial call, e.g. 30000.' },
      );
    }
    this.#failureThreshold = failureThreshold;
    this.#coolDownMs = coolDownMs;
    this.#now = options.now ?? Date.now;
    this.#onStateChange = options.onStateChange;
  }

  /** The current state. An open breaker whose cool-down is over stays `open` until the next call. */
  get state(): BreakerState {
    return this.#state;
  }

  /** The state with its numbers, for metrics. */
  snapshot(): BreakerSnapshot {
    return {
      state: this.#state,
      consecutiveFailures: this.#consecutiveFailures,
      openedAt: this.#openedAt,
    };
  }

  /**
   * Whether a call may go through now. `true` obliges the caller to report the call's end
   * (success, failure or release); `false` means skip this provider.
   */
  tryAcquire(): boolean {
    if (this.#state === 'closed') return true;
    if (this.#state === 'half-open') {
      if (this.#trialInFlight) return false;
      this.#trialInFlight = true;
      return true;
    }
    const now = this.#now();
    if (this.#openedAt !== null && now - this.#openedAt < this.#coolDownMs) return false;
    this.#trialInFlight = true;
    this.#moveTo('half-open', now);
    return true;
  }

  /** The call succeeded: the breaker closes and the failure count resets. */
  recordSuccess(): void {
    this.#consecutiveFailures = 0;
    this.#trialInFlight = false;
    if (this.#state !== 'closed') {
      this.#openedAt = null;
      this.#moveTo('closed', this.#now());
    }
  }

  /** The call failed: a half-open breaker opens again; enough failures open a closed one. */
  recordFailure(): void {
    this.#consecutiveFailures += 1;
    this.#trialInFlight = false;
    if (this.#state !== 'closed' || this.#consecutiveFailures >= this.#failureThreshold) {
      const now = this.#now();
      this.#openedAt = now;
      if (this.#state !== 'open') this.#moveTo('open', now);
    }
  }

  /**
   * The call ended without saying anything about the provider's health (it was canceled): the
   * failure count stays, and a trial call's place is given back for the next call.
   */
  release(): void {
    this.#trialInFlight = false;
  }

  #moveTo(to: BreakerState, at: number): void {
    const from = this.#state;
    this.#state = to;
    this.#onStateChange?.({ from, to, at });
  }
}
