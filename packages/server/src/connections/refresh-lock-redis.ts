import { randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { PrismError } from '@prism/sdk';
import type { Redis } from 'ioredis';
import type { RefreshLock } from './refresh-lock.js';

/** Deletes the lock only while it still holds this holder's value (another may own it now). */
const RELEASE_SCRIPT = `if redis.call("get", KEYS[1]) == ARGV[1] then
  return redis.call("del", KEYS[1])
end
return 0`;

/** Options of {@link RedisRefreshLock}. */
export interface RedisRefreshLockOptions {
  /** What the lock keys start with (`<prefix>:<key>`). Default `prism`. */
  keyPrefix?: string;
  /**
   * How long a lock lasts if its holder never releases it (a process that died), in ms: longer
   * than a refresh takes. Default 30 000.
   */
  ttlMs?: number;
  /** Longest wait for another holder's lock, in ms. Default `ttlMs` plus 5 000. */
  maxWaitMs?: number;
  /** The first pause between attempts, in ms; each next one doubles. Default 20. */
  initialBackoffMs?: number;
  /** The longest pause between attempts, in ms. Default 500. */
  maxBackoffMs?: number;
  /** Pauses between attempts; replaced in tests. */
  sleep?: (ms: number) => Promise<void>;
}

/**
 * A {@link RefreshLock} in Redis: `SET key value NX PX ttl` with a value only this holder
 * knows, released by a script that deletes the key only if it still holds that value. A holder
 * that dies leaves the lock to expire after `ttlMs`; waiters retry with doubling pauses.
 */
export class RedisRefreshLock implements RefreshLock {
  readonly #redis: Redis;
  readonly #keyPrefix: string;
  readonly #ttlMs: number;
  readonly #maxWaitMs: number;
  readonly #initialBackoffMs: number;
  readonly #maxBackoffMs: number;
  readonly #sleep: (ms: number) => Promise<void>;

  /** A lock in the Redis of `redis`. */
  constructor(redis: Redis, options: RedisRefreshLockOptions = {}) {
    this.#redis = redis;
    this.#keyPrefix = options.keyPrefix ?? 'prism';
    this.#ttlMs = options.ttlMs ?? 30_000;
    this.#maxWaitMs = options.maxWaitMs ?? this.#ttlMs + 5_000;
    this.#initialBackoffMs = options.initialBackoffMs ?? 20;
    this.#maxBackoffMs = options.maxBackoffMs ?? 500;
    this.#sleep = options.sleep ?? ((ms) => delay(ms));
  }

  /**
   * @throws {PrismError} `token_refresh_busy` when another holder kept the lock longer than
   *   `maxWaitMs`.
   */
  async withLock<T>(key: string, work: () => Promise<T>): Promise<T> {
    const redisKey = `${this.#keyPrefix}:${key}`;
    const holder = randomUUID();
    await this.#acquire(redisKey, holder);
    try {
      return await work();
    } finally {
      // Should Redis fail now, the lock expires after its TTL; the work's outcome stands.
      await this.#redis.eval(RELEASE_SCRIPT, 1, redisKey, holder).catch(() => {});
    }
  }

  async #acquire(redisKey: string, holder: string): Promise<void> {
    let waited = 0;
    let backoff = this.#initialBackoffMs;
    while ((await this.#redis.set(redisKey, holder, 'PX', this.#ttlMs, 'NX')) !== 'OK') {
      if (waited >= this.#maxWaitMs) {
        throw new PrismError(
          'token_refresh_busy',
          `Another Prism instance has been refreshing this connection's tokens for over ${this.#maxWaitMs} ms.`,
          { hint: 'Retry shortly; if it persists, check that the token endpoint is reachable.' },
        );
      }
      const pause = Math.min(backoff, this.#maxBackoffMs, this.#maxWaitMs - waited);
      await this.#sleep(pause);
      waited += pause;
      backoff *= 2;
    }
  }
}
