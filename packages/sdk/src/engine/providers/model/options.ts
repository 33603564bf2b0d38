import { PrismError } from '../../../errors.js';
import type { ReviewProvider } from '../../types.js';
import { createRulesProvider } from '../rules/index.js';
import type { ModelAnswerCache } from './answer-cache.js';
import { type RetrySettings, realSleep, type Sleep } from './retry.js';

/** How a model provider works around its model client. */
export interface ModelProviderOptions {
  /** Where model answers are kept between reviews; none by default. */
  answers?: ModelAnswerCache;
  /**
   * The deterministic provider run next to the model on every section and on the document,
   * whose findings are merged with the model's and stand in when the model's answer stays
   * invalid (default `createRulesProvider()`).
   */
  rules?: ReviewProvider;
  /** Most retries of a throttled, unavailable or timed-out call (default 4). */
  maxRetries?: number;
  /** The wait before the first retry, in milliseconds; it doubles with each retry (default 500). */
  baseDelayMs?: number;
  /**
   * The longest wait between retries, in milliseconds (default 60,000). A service asking to
   * wait longer is not waited for: its error is thrown, so a fallback provider can take over.
   */
  maxDelayMs?: number;
  /** How to wait between retries (default: a real, abortable timer); tests pass a fake. */
  sleep?: Sleep;
  /** Most tokens one answer may use (default 8,192). */
  maxOutputTokens?: number;
}

/** The options in force, defaults filled in. */
export interface ResolvedModelProviderOptions extends RetrySettings {
  /** See {@link ModelProviderOptions.answers}. */
  answers: ModelAnswerCache | undefined;
  /** See {@link ModelProviderOptions.rules}. */
  rules: ReviewProvider;
  /** See {@link ModelProviderOptions.maxOutputTokens}. */
  maxOutputTokens: number;
}

/** The defaults of the numeric {@link ModelProviderOptions}. */
export const DEFAULT_MODEL_PROVIDER_OPTIONS = {
  maxRetries: 4,
  baseDelayMs: 500,
  maxDelayMs: 60_000,
  maxOutputTokens: 8192,
} as const;

/**
 * The options with defaults filled in.
 *
 * @throws {PrismError} `invalid_argument` naming every option that is out of range.
 */
export function resolveModelProviderOptions(
  options: ModelProviderOptions,
): ResolvedModelProviderOptions {
  const resolved: ResolvedModelProviderOptions = {
    answers: options.answers,
    rules: options.rules ?? createRulesProvider(),
    maxRetries: options.maxRetries ?? DEFAULT_MODEL_PROVIDER_OPTIONS.maxRetries,
    baseDelayMs: options.baseDelayMs ?? DEFAULT_MODEL_PROVIDER_OPTIONS.baseDelayMs,
    maxDelayMs: options.maxDelayMs ?? DEFAULT_MODEL_PROVIDER_OPTIONS.maxDelayMs,
    sleep: options.sleep ?? realSleep,
    maxOutputTokens: options.maxOutputTokens ?? DEFAULT_MODEL_PROVIDER_OPTIONS.maxOutputTokens,
  };
  const problems = [
    ...(Number.isInteger(resolved.maxRetries) && resolved.maxRetries >= 0
      ? []
      : [`maxRetries must be a whole number >= 0, not ${resolved.maxRetries}`]),
    ...(Number.isFinite(resolved.baseDelayMs) && resolved.baseDelayMs >= 0
      ? []
      : [`baseDelayMs must be a number of milliseconds >= 0, not ${resolved.baseDelayMs}`]),
    ...(Number.isFinite(resolved.maxDelayMs) && resolved.maxDelayMs >= resolved.baseDelayMs
      ? []
      : [`maxDelayMs must be a number of milliseconds >= baseDelayMs, not ${resolved.maxDelayMs}`]),
    ...(Number.isInteger(resolved.maxOutputTokens) && resolved.maxOutputTokens >= 1
      ? []
      : [`maxOutputTokens must be a whole number >= 1, not ${resolved.maxOutputTokens}`]),
  ];
  if (problems.length > 0) {
    throw new PrismError(
      'invalid_argument',
      `Invalid model provider options: ${problems.join('; ')}.`,
      { hint: 'Leave an option out to use its default.' },
    );
  }
  return resolved;
}
