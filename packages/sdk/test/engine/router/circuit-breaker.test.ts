import { describe, expect, it } from 'vitest';
import {
  type BreakerStateChange,
  CircuitBreaker,
} from '../../../src/engine/providers/router/index.js';

function breakerWithClock(failureThreshold = 2, coolDownMs = 1_000) {
  let now = 0;
  const changes: BreakerStateChange[] = [];
  const breaker = new CircuitBreaker({
    failureThreshold,
    coolDownMs,
    now: () => now,
    onStateChange: (change) => changes.push(change),
  });
  return {
    breaker,
    changes,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

describe('CircuitBreaker', () => {
  it('defaults to 5 failures and a 30 s cool-down', () => {
    let now = 0;
    const breaker = new CircuitBreaker({ now: () => now });
    for (let failure = 0; failure < 4; failure += 1) breaker.recordFailure();
    expect(breaker.state).toBe('closed');
    breaker.recordFailure();
    expect(breaker.state).toBe('open');
    now = 29_999;
    expect(breaker.tryAcquire()).toBe(false);
    now = 30_000;
    expect(breaker.tryAcquire()).toBe(true);
    expect(breaker.state).toBe('half-open');
  });

  it('refuses calls while open and grants exactly one trial after the cool-down', () => {
    const { breaker, advance } = breakerWithClock();
    breaker.recordFailure();
    breaker.recordFailure();
    expect(breaker.tryAcquire()).toBe(false);
    advance(1_000);
    expect(breaker.tryAcquire()).toBe(true);
    expect(breaker.tryAcquire()).toBe(false);
  });

  it('gives a canceled trial call its place back', () => {
    const { breaker, advance, changes } = breakerWithClock();
    breaker.recordFailure();
    breaker.recordFailure();
    advance(1_000);
    expect(breaker.tryAcquire()).toBe(true);
    breaker.release();
    expect(breaker.state).toBe('half-open');
    expect(breaker.tryAcquire()).toBe(true);
    breaker.recordSuccess();
    expect(breaker.snapshot()).toEqual({ state: 'closed', consecutiveFailures: 0, openedAt: null });
    expect(changes).toEqual([
      { from: 'closed', to: 'open', at: 0 },
      { from: 'open', to: 'half-open', at: 1_000 },
      { from: 'half-open', to: 'closed', at: 1_000 },
    ]);
  });

  it('refuses a threshold below 1 and a negative cool-down', () => {
    expect(() => new CircuitBreaker({ failureThreshold: 0 })).toThrow(
      expect.objectContaining({ code: 'invalid_argument' }),
    );
    expect(() => new CircuitBreaker({ coolDownMs: -1 })).toThrow(
      expect.objectContaining({ code: 'invalid_argument' }),
    );
  });
});
