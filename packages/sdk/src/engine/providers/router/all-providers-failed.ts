import { PrismError, type PrismErrorOptions } from '../../../errors.js';

/** Why one provider of a router did not answer. */
export type ProviderFailure =
  | {
      /** The provider's id. */
      providerId: string;
      /** It was called and threw. */
      outcome: 'failed';
      /** The error's `code` (a `PrismError`), else its name. */
      code: string;
      /** What it threw. */
      error: unknown;
    }
  | {
      /** The provider's id. */
      providerId: string;
      /** Its circuit breaker was open, so it was not called. */
      outcome: 'skipped';
      /** Always `circuit_open`. */
      code: 'circuit_open';
    };

/**
 * No provider of a router answered: each one failed or was skipped (its circuit breaker open).
 * `failures` lists them in the router's order; the message names each with its error code.
 */
export class AllProvidersFailedError extends PrismError {
  declare readonly code: 'all_providers_failed';
  /** Each provider and why it did not answer, in order. */
  readonly failures: readonly ProviderFailure[];

  constructor(failures: readonly ProviderFailure[], options: PrismErrorOptions = {}) {
    const errors = failures.flatMap((failure) =>
      failure.outcome === 'failed' ? [failure.error] : [],
    );
    super('all_providers_failed', `No review provider answered: ${describeFailures(failures)}.`, {
      hint:
        'Look at each provider\'s code: wait and retry for throttling, unavailability or "circuit_open"; ' +
        'fix credentials, region or model id for access or not-found errors; ' +
        'put the offline `rules` provider last to always get an answer.',
      cause: errors.length > 0 ? new AggregateError(errors, "The providers' errors") : undefined,
      ...options,
    });
    this.failures = failures;
  }
}

/** `a failed (model_throttled); b skipped (circuit_open)`, in order. */
export function describeFailures(failures: readonly ProviderFailure[]): string {
  return failures
    .map((failure) => `${failure.providerId} ${failure.outcome} (${failure.code})`)
    .join('; ');
}
