import { PrismError } from '../../../errors.js';
import type { Section } from '../../../schema/index.js';
import { ReviewCanceledError } from '../../errors.js';
import type { ProviderReply, ReviewContext, ReviewProvider } from '../../types.js';
import {
  AllProvidersFailedError,
  describeFailures,
  type ProviderFailure,
} from './all-providers-failed.js';
import {
  type BreakerSnapshot,
  type BreakerStateChange,
  CircuitBreaker,
} from './circuit-breaker.js';

/** A breaker's change of state, with the provider it guards. */
export interface ProviderBreakerChange extends BreakerStateChange {
  /** The provider's id. */
  providerId: string;
}

/** A provider's breaker state, as {@link ProviderRouter.breakerStates} lists it. */
export interface ProviderBreakerState extends BreakerSnapshot {
  /** The provider's id. */
  providerId: string;
}

/** How a router falls back and when it stops calling a failing provider. */
export interface RouterOptions {
  /** Consecutive failures that open a provider's breaker. Default 5. */
  failureThreshold?: number;
  /** How long an open breaker waits before one trial call, in milliseconds. Default 30,000. */
  coolDownMs?: number;
  /** The breakers' clock, in milliseconds. Default `Date.now`. */
  now?: () => number;
  /** Called when a provider's breaker changes state (for metrics and logs). */
  onStateChange?: (change: ProviderBreakerChange) => void;
  /**
   * Whether an error counts against the provider's health (towards opening its breaker). The
   * router falls back on every error either way, except an abort. Default
   * {@link countsAgainstProvider}.
   */
  countsAgainstProvider?: (error: unknown) => boolean;
}

/** A reply from a router: the answering provider's reply, saying which provider it was. */
export interface RoutedReply extends ProviderReply {
  /** The id of the provider that answered. */
  answeredBy: string;
}

/** A {@link ReviewProvider} that tries several providers in order. */
export interface ProviderRouter extends ReviewProvider {
  /** The providers, in the order they are tried. */
  readonly providers: readonly ReviewProvider[];
  /** Findings about one section, from the first provider that answers. */
  reviewSection(section: Section, context: ReviewContext): Promise<RoutedReply>;
  /** Findings about the whole document, from the first provider that answers. */
  reviewDocument(context: ReviewContext): Promise<RoutedReply>;
  /** Each provider's breaker, in order (for metrics). */
  breakerStates(): ProviderBreakerState[];
}

/** Errors about the request itself (its size), not the provider: they do not open breakers. */
const REQUEST_ERROR_CODES: ReadonlySet<string> = new Set([
  'model_input_too_long',
  'request_exceeds_token_limit',
]);

/**
 * The default {@link RouterOptions.countsAgainstProvider}: every error except those about the
 * request's own size (`model_input_too_long`, `request_exceeds_token_limit`), which another
 * request to the same provider would not meet.
 */
export function countsAgainstProvider(error: unknown): boolean {
  return !(error instanceof PrismError && REQUEST_ERROR_CODES.has(error.code));
}

/**
 * A provider that calls `providers` in order and answers with the first that succeeds. Its id is
 * the providers' ids joined by `,` (e.g. `bedrock:anthropic.claude-sonnet-4,rules`).
 *
 * - A provider that throws is followed by the next one; the reply then says so in `degraded`
 *   (`bedrock:x failed (model_throttled); answered by openai-compatible:y`, plus the answering
 *   provider's own `degraded` reason, if any) and names the provider in `answeredBy`.
 * - An abort is never fallen back on: when `context.signal` is aborted (before or during a call)
 *   or a provider throws `ReviewCanceledError`, that error is rethrown (a `ReviewCanceledError`
 *   when the signal was aborted before any call).
 * - Each provider has a {@link CircuitBreaker}: after `failureThreshold` consecutive failures the
 *   provider is skipped without being called, until one trial call after `coolDownMs`.
 * - When no provider answers, it throws {@link AllProvidersFailedError} (`all_providers_failed`)
 *   naming each provider with its error code (or `circuit_open`).
 *
 * Throws a `PrismError` (`invalid_argument`) for an empty list or two providers with one id.
 */
export function createRouter(
  providers: readonly ReviewProvider[],
  options: RouterOptions = {},
): ProviderRouter {
  validateProviders(providers);
  const isHealthFailure = options.countsAgainstProvider ?? countsAgainstProvider;
  const guarded = providers.map((provider) => ({
    provider,
    breaker: new CircuitBreaker({
      failureThreshold: options.failureThreshold,
      coolDownMs: options.coolDownMs,
      now: options.now,
      onStateChange: (change) => options.onStateChange?.({ providerId: provider.id, ...change }),
    }),
  }));

  async function route(
    context: ReviewContext,
    call: (provider: ReviewProvider) => Promise<ProviderReply>,
  ): Promise<RoutedReply> {
    const failures: ProviderFailure[] = [];
    for (const { provider, breaker } of guarded) {
      if (context.signal?.aborted) throw new ReviewCanceledError({ cause: context.signal.reason });
      if (!breaker.tryAcquire()) {
        failures.push({ providerId: provider.id, outcome: 'skipped', code: 'circuit_open' });
        continue;
      }
      let reply: ProviderReply;
      try {
        reply = await call(provider);
      } catch (error) {
        if (context.signal?.aborted || error instanceof ReviewCanceledError) {
          breaker.release();
          throw error;
        }
        if (isHealthFailure(error)) breaker.recordFailure();
        else breaker.release();
        failures.push({ providerId: provider.id, outcome: 'failed', code: codeOf(error), error });
        continue;
      }
      breaker.recordSuccess();
      return withRouting(reply, provider.id, failures);
    }
    throw new AllProvidersFailedError(failures);
  }

  const promptVersion = providers.find((provider) => provider.promptVersion)?.promptVersion;
  return {
    id: providers.map((provider) => provider.id).join(','),
    ...(promptVersion === undefined ? {} : { promptVersion }),
    providers,
    reviewSection: (section, context) =>
      route(context, (provider) => provider.reviewSection(section, context)),
    reviewDocument: (context) => route(context, (provider) => provider.reviewDocument(context)),
    breakerStates: () =>
      guarded.map(({ provider, breaker }) => ({ providerId: provider.id, ...breaker.snapshot() })),
  };
}

function withRouting(
  reply: ProviderReply,
  answeredBy: string,
  failures: readonly ProviderFailure[],
): RoutedReply {
  if (failures.length === 0) return { ...reply, answeredBy };
  const routing = `${describeFailures(failures)}; answered by ${answeredBy}`;
  return {
    ...reply,
    answeredBy,
    degraded: reply.degraded === undefined ? routing : `${routing}; ${reply.degraded}`,
  };
}

function codeOf(error: unknown): string {
  if (error instanceof PrismError) return error.code;
  if (error instanceof Error) return error.name;
  return 'unknown_error';
}

function validateProviders(providers: readonly ReviewProvider[]): void {
  if (providers.length === 0) {
    throw new PrismError('invalid_argument', 'A router needs at least one provider.', {
      hint: 'Pass the providers in the order to try them, e.g. a model first and `rules` last.',
    });
  }
  const seen = new Set<string>();
  for (const { id } of providers) {
    if (seen.has(id)) {
      throw new PrismError(
        'invalid_argument',
        `The router has two providers with the id "${id}".`,
        {
          hint: 'Give each provider once; ids name the providers in errors and breaker states.',
        },
      );
    }
    seen.add(id);
  }
}
