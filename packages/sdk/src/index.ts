export * from './engine/index.js';
export { PrismError, type PrismErrorOptions } from './errors.js';
export type { components, operations, paths, webhooks } from './generated/openapi.js';
export * from './schema/index.js';
export * from './webhooks/index.js';
