export {
  type AuditChainBreak,
  type AuditEntry,
  chainAuditEvent,
  verifyAuditChain,
} from './audit-chain.js';
export { generateApiKeySecret, hashApiKeySecret } from './access.js';
export { NotSupportedLocallyError } from './errors.js';
export { MemoryStore } from './memory-store.js';
export { LocalPrism, type LocalPrismOptions } from './prism.js';
export { PrismService, type PrismServiceOptions } from './service.js';
export type * from './store.js';
