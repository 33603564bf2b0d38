import type { TenantTokenAllowance } from '../engine/usage/tenant-allowance.js';
import { PrismError } from '../errors.js';
import type { Store, TokenUsageRow } from './store.js';

/**
 * A {@link TenantTokenAllowance} of `tokensPerMonth` model tokens (input + output) per tenant and
 * calendar month (UTC), counted in the store's `tokenUsage` table, so every process on the store
 * draws from the same allowance. It renews on the first of each month.
 */
export class MonthlyTokenAllowance implements TenantTokenAllowance {
  readonly #store: Store;
  readonly #tokensPerMonth: number;
  readonly #now: () => Date;

  /** @throws {PrismError} `invalid_argument` for an allowance that is not a whole number >= 1. */
  constructor(store: Store, tokensPerMonth: number, now: () => Date = () => new Date()) {
    if (!(Number.isSafeInteger(tokensPerMonth) && tokensPerMonth >= 1)) {
      throw new PrismError(
        'invalid_argument',
        `A monthly token allowance must be a whole number >= 1, not ${tokensPerMonth}.`,
        { hint: 'Give the input + output tokens each tenant may use per month, e.g. 5000000.' },
      );
    }
    this.#store = store;
    this.#tokensPerMonth = tokensPerMonth;
    this.#now = now;
  }

  async remaining(tenantId: string): Promise<number> {
    const row = await this.#store.tokenUsage.get(tenantId, this.#rowId(tenantId));
    return this.#tokensPerMonth - (row?.tokens ?? 0);
  }

  async consume(tenantId: string, tokens: number): Promise<void> {
    if (tokens <= 0) return;
    const id = this.#rowId(tenantId);
    const add = (row: TokenUsageRow): TokenUsageRow => ({ ...row, tokens: row.tokens + tokens });
    if (await this.#store.tokenUsage.update(tenantId, id, add)) return;
    const month = id.slice(tenantId.length + 1);
    try {
      await this.#store.tokenUsage.insert({ id, tenantId, month, tokens });
    } catch (error) {
      // Another review counted the month's first tokens meanwhile: add to its row.
      if (!(error instanceof PrismError && error.code === 'store_conflict')) throw error;
      await this.#store.tokenUsage.update(tenantId, id, add);
    }
  }

  #rowId(tenantId: string): string {
    return `${tenantId}:${this.#now().toISOString().slice(0, 7)}`;
  }
}
