/**
 * Where a tenant's token allowance is kept (a database, Redis, a billing service). A
 * {@link TokenBudget} asks it before calls and tells it what each call used.
 */
export interface TenantTokenAllowance {
  /**
   * Tokens the tenant may still use; null when the tenant has no limit. May be negative when
   * calls already in flight used more than was left.
   */
  remaining(tenantId: string): Promise<number | null>;
  /** Takes `tokens` from the tenant's allowance (below zero if need be: they were spent). */
  consume(tenantId: string, tokens: number): Promise<void>;
}

/**
 * A {@link TenantTokenAllowance} kept in memory, for one process and for tests. Tenants without
 * an allowance have no limit.
 */
export class MemoryTenantAllowance implements TenantTokenAllowance {
  readonly #remaining = new Map<string, number>();

  /** `allowances`: tokens each tenant may use, by tenant id. */
  constructor(allowances: Readonly<Record<string, number>> = {}) {
    for (const [tenantId, tokens] of Object.entries(allowances)) this.set(tenantId, tokens);
  }

  /** Sets what the tenant may still use (e.g. when its allowance renews). */
  set(tenantId: string, tokens: number): void {
    this.#remaining.set(tenantId, tokens);
  }

  /** Tokens the tenant may still use, or null when it has no limit. */
  async remaining(tenantId: string): Promise<number | null> {
    return this.#remaining.get(tenantId) ?? null;
  }

  /** Takes `tokens` from the tenant's allowance; a tenant without a limit keeps none. */
  async consume(tenantId: string, tokens: number): Promise<void> {
    const left = this.#remaining.get(tenantId);
    if (left !== undefined) this.#remaining.set(tenantId, left - tokens);
  }
}
