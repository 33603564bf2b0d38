export { canonicalJson, requestFingerprint } from './fingerprint.js';
export type {
  ClaimOutcome,
  IdempotencyClaim,
  IdempotencyRecord,
  IdempotencyStore,
  StoredResponse,
} from './idempotency-store.js';
export { MemoryIdempotencyStore } from './memory-idempotency-store.js';
export {
  DEFAULT_IDEMPOTENCY_LOCK_TIMEOUT_MS,
  DEFAULT_IDEMPOTENCY_TTL_MS,
  IDEMPOTENCY_PURGE_INTERVAL_MS,
  type IdempotencyPluginOptions,
  idempotencyPlugin,
} from './plugin.js';
export { SqlIdempotencyStore } from './sql-idempotency-store.js';
