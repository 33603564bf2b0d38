import { PrismError, type PrismErrorOptions } from '../../errors.js';
import type { ProviderUsage } from '../types.js';
import { addUsage } from './cost.js';
import type { TenantTokenAllowance } from './tenant-allowance.js';

/** Which limit a {@link BudgetExceededError} is about. */
export type BudgetScope = 'review' | 'tenant';

/** What a {@link BudgetExceededError} reports. */
export interface BudgetExceededDetails {
  /** The limit passed. */
  scope: BudgetScope;
  /** Tokens (input + output) this review has used. */
  usedTokens: number;
  /**
   * For `review`, the review's limit. For `tenant`, the tokens of this review the tenant's
   * allowance covered (used + what the tenant has left, at least 0).
   */
  limitTokens: number;
  /** The tenant, for `tenant`. */
  tenantId?: string;
}

/**
 * A review's token limit, or its tenant's allowance, is used up. Findings gathered before it
 * still stand: the caller keeps them and stops asking the model.
 */
export class BudgetExceededError extends PrismError {
  declare readonly code: 'token_budget_exceeded';
  /** The limit passed. */
  readonly scope: BudgetScope;
  /** Tokens (input + output) this review has used. */
  readonly usedTokens: number;
  /** The review's limit, or the tokens of this review the tenant's allowance covered. */
  readonly limitTokens: number;
  /** The tenant, when `scope` is `tenant`. */
  readonly tenantId: string | undefined;

  constructor(details: BudgetExceededDetails, options: PrismErrorOptions = {}) {
    const { scope, usedTokens, limitTokens, tenantId } = details;
    super('token_budget_exceeded', describe(details), {
      hint:
        scope === 'review'
          ? 'The findings gathered so far are kept; raise the per-review token limit to review the rest.'
          : "The findings gathered so far are kept; raise the tenant's token allowance or wait until it renews.",
      ...options,
    });
    this.scope = scope;
    this.usedTokens = usedTokens;
    this.limitTokens = limitTokens;
    this.tenantId = tenantId;
  }
}

/** The limits of a {@link TokenBudget}; without any, it only counts. */
export interface TokenBudgetOptions {
  /** Most tokens (input + output) one review may use. */
  maxReviewTokens?: number;
  /** The tenant the review is for, and where its allowance is kept. */
  tenant?: { id: string; allowance: TenantTokenAllowance };
}

/**
 * The tokens one review may spend: a per-review maximum (input + output tokens) and, optionally,
 * its tenant's allowance. The caller (the orchestrator) calls {@link TokenBudget.check} before
 * each model call and {@link TokenBudget.charge} with each reply's usage. Either throws a
 * {@link BudgetExceededError} (`token_budget_exceeded`) once a limit is reached; the findings
 * gathered so far are the caller's to keep (and report the review as partial), the budget does
 * not hold them.
 */
export class TokenBudget {
  readonly #maxReviewTokens: number | undefined;
  readonly #tenant: TokenBudgetOptions['tenant'];
  #usage: ProviderUsage = { inputTokens: 0, outputTokens: 0 };

  /** Throws a `PrismError` (`invalid_argument`) for a limit that is not a whole number >= 1. */
  constructor(options: TokenBudgetOptions = {}) {
    const { maxReviewTokens } = options;
    if (
      maxReviewTokens !== undefined &&
      !(Number.isInteger(maxReviewTokens) && maxReviewTokens >= 1)
    ) {
      throw new PrismError(
        'invalid_argument',
        `maxReviewTokens must be a whole number of at least 1, not ${maxReviewTokens}.`,
        { hint: 'Use the most input + output tokens one review may use, e.g. 200000.' },
      );
    }
    this.#maxReviewTokens = maxReviewTokens;
    this.#tenant = options.tenant;
  }

  /** The tokens charged so far, summed. */
  get usage(): ProviderUsage {
    return { ...this.#usage };
  }

  /** Input + output tokens charged so far. */
  get usedTokens(): number {
    return this.#usage.inputTokens + this.#usage.outputTokens;
  }

  /**
   * Tokens left before a limit: the least of the review's and the tenant's (at least 0), or
   * null when neither limits it. Useful to cap a call's `maxOutputTokens`.
   */
  async remaining(): Promise<number | null> {
    const reviewLeft =
      this.#maxReviewTokens === undefined ? null : this.#maxReviewTokens - this.usedTokens;
    const tenantLeft = this.#tenant
      ? await this.#tenant.allowance.remaining(this.#tenant.id)
      : null;
    const limits = [reviewLeft, tenantLeft].filter((left): left is number => left !== null);
    return limits.length === 0 ? null : Math.max(0, Math.min(...limits));
  }

  /**
   * Before a model call: throws {@link BudgetExceededError} when the review has used its whole
   * limit, or the tenant has nothing left.
   */
  async check(): Promise<void> {
    const used = this.usedTokens;
    if (this.#maxReviewTokens !== undefined && used >= this.#maxReviewTokens) {
      throw new BudgetExceededError({
        scope: 'review',
        usedTokens: used,
        limitTokens: this.#maxReviewTokens,
      });
    }
    if (!this.#tenant) return;
    const left = await this.#tenant.allowance.remaining(this.#tenant.id);
    if (left !== null && left <= 0) throw this.#tenantExceeded(left);
  }

  /**
   * After a model call: records `usage` (nothing for a reply without usage), takes it from the
   * tenant's allowance, and throws {@link BudgetExceededError} when that passed the review's
   * limit or the tenant's allowance. The usage is recorded and consumed even then: it was spent.
   */
  async charge(usage: ProviderUsage | undefined): Promise<void> {
    if (!usage) return;
    this.#usage = addUsage(this.#usage, usage);
    const used = this.usedTokens;
    const tokens = usage.inputTokens + usage.outputTokens;
    if (this.#tenant && tokens > 0) await this.#tenant.allowance.consume(this.#tenant.id, tokens);
    if (this.#maxReviewTokens !== undefined && used > this.#maxReviewTokens) {
      throw new BudgetExceededError({
        scope: 'review',
        usedTokens: used,
        limitTokens: this.#maxReviewTokens,
      });
    }
    if (!this.#tenant) return;
    const left = await this.#tenant.allowance.remaining(this.#tenant.id);
    if (left !== null && left < 0) throw this.#tenantExceeded(left);
  }

  #tenantExceeded(left: number): BudgetExceededError {
    const used = this.usedTokens;
    return new BudgetExceededError({
      scope: 'tenant',
      usedTokens: used,
      limitTokens: Math.max(0, used + left),
      tenantId: this.#tenant?.id,
    });
  }
}

function describe({ scope, usedTokens, limitTokens, tenantId }: BudgetExceededDetails): string {
  if (scope === 'review') {
    return `The review has used ${usedTokens} tokens; its limit is ${limitTokens}.`;
  }
  return `Tenant "${tenantId}" has no tokens left: this review used ${usedTokens}, of which its allowance covered ${limitTokens}.`;
}
