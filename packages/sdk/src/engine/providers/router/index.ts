export {
  AllProvidersFailedError,
  describeFailures,
  type ProviderFailure,
} from './all-providers-failed.js';
export {
  type BreakerSnapshot,
  type BreakerState,
  type BreakerStateChange,
  CircuitBreaker,
  type CircuitBreakerOptions,
  DEFAULT_COOL_DOWN_MS,
  DEFAULT_FAILURE_THRESHOLD,
} from './circuit-breaker.js';
export {
  DEFAULT_LIMIT_WINDOW_MS,
  type LimitedModelClient,
  type LimiterCounts,
  limitModelClient,
  type ModelClientLimits,
} from './limited-client.js';
export {
  countsAgainstProvider,
  createRouter,
  type ProviderBreakerChange,
  type ProviderBreakerState,
  type ProviderRouter,
  type RoutedReply,
  type RouterOptions,
} from './router.js';
export { CHARS_PER_TOKEN, estimateRequestTokens } from './token-estimate.js';
