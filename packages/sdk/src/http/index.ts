/**
 * `@prism/sdk/http`: the Prism API over HTTP and nothing else, for any JavaScript runtime
 * (Node, browsers, workers, edge functions). It loads no Node module: outside Node requests go
 * through the global `fetch`, and bundlers leave undici out. The in-process engine is in
 * `@prism/sdk`.
 */
export * from '../api/types.js';
export * from '../client/index.js';
export { PrismError, type PrismErrorOptions } from '../errors.js';
export type { components, operations, paths, webhooks } from '../generated/openapi.js';
export * from '../schema/index.js';
export * from '../webhooks/index.js';
export { HttpPrism } from './prism.js';
export { ReviewFailedError } from './review-failed-error.js';
