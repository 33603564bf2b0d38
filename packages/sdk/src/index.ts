export * from './api/types.js';
export * from './client/index.js';
export * from './engine/index.js';
export { PrismError, type PrismErrorOptions } from './errors.js';
export type { components, operations, paths, webhooks } from './generated/openapi.js';
export { HttpPrism } from './http/prism.js';
export { ReviewFailedError } from './http/review-failed-error.js';
export * from './schema/index.js';
export * from './webhooks/index.js';
