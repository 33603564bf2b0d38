export { generateApiKeySecret, hashApiKeySecret } from './access.js';
export {
  type AuditChainBreak,
  type AuditEntry,
  chainAuditEvent,
  verifyAuditChain,
} from './audit-chain.js';
export type {
  AuthorizationStart,
  ConnectionFlows,
  ConnectionGrant,
  WatchFlows,
  WatchPlace,
} from './connection-flows.js';
export { ConnectionLifecycle } from './connection-lifecycle.js';
export type { TokenLimits } from './core.js';
export { NotSupportedLocallyError } from './errors.js';
export {
  InProcessJobQueue,
  type JobQueue,
  type JobQueueFactory,
  type ReviewJobRunner,
} from './job-queue.js';
export { MemoryStore } from './memory-store.js';
export { MonthlyTokenAllowance } from './monthly-allowance.js';
export { LocalPrism, type LocalPrismOptions } from './prism.js';
export { type ReviewJob, runReviewJob, SYSTEM_ACTOR } from './review-job.js';
export { PrismService, type PrismServiceOptions } from './service.js';
export type * from './store.js';
export {
  DEFAULT_DISABLE_AFTER_DEAD,
  DEFAULT_RETRY_SCHEDULE_MS,
  type WebhookRetryPolicy,
} from './webhook-sender.js';
