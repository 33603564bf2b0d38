export {
  type BudgetExceededDetails,
  BudgetExceededError,
  type BudgetScope,
  TokenBudget,
  type TokenBudgetOptions,
} from './budget.js';
export {
  addUsage,
  type CostEstimate,
  DEFAULT_PRICES,
  estimateCost,
  findPrice,
  type ModelPrice,
  type PriceTable,
} from './cost.js';
export { MemoryTenantAllowance, type TenantTokenAllowance } from './tenant-allowance.js';
