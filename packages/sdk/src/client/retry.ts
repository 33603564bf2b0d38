/** First back-off delay, in milliseconds (as anthropic-sdk-typescript and openai-node: 0.5 s). */
export const RETRY_BASE_DELAY_MS = 500;
/** Longest back-off delay, in milliseconds (as anthropic-sdk-typescript and openai-node: 8 s). */
export const RETRY_MAX_DELAY_MS = 8_000;
/**
 * Longest `Retry-After` the client waits on its own, in milliseconds (60 s, the limit
 * openai-node applies). A longer wait is not retried: the error says how long to wait.
 */
export const MAX_RETRY_AFTER_MS = 60_000;

/** Problem codes of a 409 that mean "try again" rather than "your request conflicts". */
const retryableConflictCodes = new Set(['lock_timeout', 'conflict_retry']);

/**
 * Whether a response with this status is worth sending again. The server decides first with
 * `x-should-retry: true|false`; otherwise 408, 409 with a lock-timeout code, 429 and every 5xx
 * but 501 (Not Implemented, which no retry fixes) are retried.
 */
export function isRetryableStatus(
  status: number,
  headers: Headers,
  code: string | undefined,
): boolean {
  const shouldRetry = headers.get('x-should-retry');
  if (shouldRetry === 'true') return true;
  if (shouldRetry === 'false') return false;
  if (status === 408 || status === 429) return true;
  if (status === 409) return code !== undefined && retryableConflictCodes.has(code);
  return status >= 500 && status !== 501;
}

/**
 * The back-off before retry number `retry` (1 for the first retry): exponential from
 * {@link RETRY_BASE_DELAY_MS}, capped at {@link RETRY_MAX_DELAY_MS}, with full jitter (a uniform
 * draw between 0 and that bound), which spreads clients that failed together better than the
 * 25 % jitter of anthropic-sdk-typescript and openai-node.
 */
export function backoffDelayMs(retry: number, random: number = Math.random()): number {
  const bound = Math.min(RETRY_MAX_DELAY_MS, RETRY_BASE_DELAY_MS * 2 ** Math.max(0, retry - 1));
  return Math.floor(random * bound);
}

/**
 * How long the server asked to wait, in milliseconds: `retry-after-ms` (a non-standard header
 * some APIs send) first, then `Retry-After` as seconds or as an HTTP date. `undefined` when
 * neither is present or readable; never negative.
 */
export function retryAfterMs(headers: Headers, now: number = Date.now()): number | undefined {
  const millis = parseDecimal(headers.get('retry-after-ms'));
  if (millis !== undefined) return millis;
  const header = headers.get('retry-after');
  if (header === null) return undefined;
  const seconds = parseDecimal(header);
  if (seconds !== undefined) return seconds * 1000;
  const date = httpDate.test(header) ? Date.parse(header) : Number.NaN;
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** An HTTP date starts with the day's name: `Sun, 06 Nov 1994 08:49:37 GMT`. */
const httpDate = /^\s*[A-Za-z]{3,9},? /;

function parseDecimal(value: string | null): number | undefined {
  if (value === null || !/^\s*\d+(\.\d+)?\s*$/.test(value)) return undefined;
  return Number(value);
}
