import { type Logger, LogLevel } from '@slack/oauth';
import type { WebClientOptions } from '@slack/web-api';

/** How long one call to Slack's Web API may take, by default. */
export const SLACK_DEFAULT_TIMEOUT_MS = 10_000;

/**
 * A logger that keeps nothing. Slack's libraries log request bodies and failures at debug and
 * error level; the hub logs the outcome itself, without tokens, so theirs stay silent.
 */
export const silentSlackLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  setLevel: () => undefined,
  getLevel: () => LogLevel.ERROR,
  setName: () => undefined,
};

/**
 * The settings of every Slack Web API client the adapter makes: one attempt per call (the hub
 * decides when to try again), a rate limit answered at once as an error rather than waited out,
 * a timeout, and no logging.
 */
export function slackClientOptions(timeoutMs: number): WebClientOptions {
  return {
    logger: silentSlackLogger,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: timeoutMs,
  };
}
