export * from './auto-review/index.js';
export {
  type AccessTokenSource,
  createGraphClient,
  createGraphLimiter,
  DEFAULT_GRAPH_CONCURRENCY,
  DEFAULT_GRAPH_REQUESTS_PER_SECOND,
  GRAPH_RATE_WINDOW_MS,
  type GraphClientOptions,
} from './graph/graph-client.js';
export {
  GraphFailure,
  type GraphFailureCode,
  type GraphFailureDetails,
  graphFailure,
} from './graph/graph-errors.js';
export { encodeSharingUrl } from './sharing-url.js';
export * from './sink/index.js';
export * from './source/index.js';
export * from './watch/index.js';
