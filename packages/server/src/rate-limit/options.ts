import { PrismError } from '@prism/sdk';
import type { Redis } from 'ioredis';

/** Requests each API key may make per window when `max` is not given: 600. */
export const DEFAULT_RATE_LIMIT_MAX = 600;
/** The window when `windowMs` is not given: one minute. */
export const DEFAULT_RATE_LIMIT_WINDOW_MS = 60_000;
/** What the Redis keys of the budgets start with when `keyPrefix` is not given. */
export const DEFAULT_RATE_LIMIT_KEY_PREFIX = 'prism:rate-limit:';

/** Options of {@link rateLimitPlugin}: each API key's budget, and where it is counted. */
export interface RateLimitPluginOptions {
  /** Requests each API key may make per window. Default {@link DEFAULT_RATE_LIMIT_MAX} (600). */
  max?: number;
  /** The window, in milliseconds. Default {@link DEFAULT_RATE_LIMIT_WINDOW_MS} (one minute). */
  windowMs?: number;
  /**
   * Where the budgets are counted: with a client, in Redis, so every server using the same Redis
   * and `keyPrefix` shares one budget per key; without, in this process's memory. While Redis
   * is unreachable requests are served unlimited, each after waiting as long as the client's own
   * settings make a command wait (`enableOfflineQueue`, `maxRetriesPerRequest`).
   */
  redis?: Redis;
  /** What the budgets' Redis keys start with. Default {@link DEFAULT_RATE_LIMIT_KEY_PREFIX}. */
  keyPrefix?: string;
}

/** The options with their defaults, checked. */
export interface RateLimitSettings {
  /** Requests each API key may make per window. */
  max: number;
  /** The window, in milliseconds. */
  windowMs: number;
  /** Where the budgets are counted; in memory when absent. */
  redis: Redis | undefined;
  /** What the budgets' Redis keys start with. */
  keyPrefix: string;
}

/** `options` with their defaults; throws `invalid_argument` for a limit or window that is not a positive whole number. */
export function rateLimitSettings(options: RateLimitPluginOptions): RateLimitSettings {
  const max = options.max ?? DEFAULT_RATE_LIMIT_MAX;
  const windowMs = options.windowMs ?? DEFAULT_RATE_LIMIT_WINDOW_MS;
  if (!(Number.isSafeInteger(max) && max > 0)) {
    throw new PrismError(
      'invalid_argument',
      `Rate limit max must be a whole number > 0, not ${max}.`,
      {
        hint: `Pass the requests each API key may make per window, e.g. ${DEFAULT_RATE_LIMIT_MAX}.`,
      },
    );
  }
  if (!(Number.isSafeInteger(windowMs) && windowMs > 0)) {
    throw new PrismError(
      'invalid_argument',
      `Rate limit windowMs must be a whole number of milliseconds > 0, not ${windowMs}.`,
      {
        hint: `Pass the window in milliseconds, e.g. ${DEFAULT_RATE_LIMIT_WINDOW_MS} for a minute.`,
      },
    );
  }
  return {
    max,
    windowMs,
    redis: options.redis,
    keyPrefix: options.keyPrefix ?? DEFAULT_RATE_LIMIT_KEY_PREFIX,
  };
}
