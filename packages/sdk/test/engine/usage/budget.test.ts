import { describe, expect, it } from 'vitest';
import {
  BudgetExceededError,
  MemoryTenantAllowance,
  TokenBudget,
} from '../../../src/engine/usage/index.js';
import { PrismError } from '../../../src/errors.js';

const usage = (inputTokens: number, outputTokens: number) => ({ inputTokens, outputTokens });

describe('TokenBudget per review', () => {
  it('records usage and throws once input + output tokens pass the review limit', async () => {
    const budget = new TokenBudget({ maxReviewTokens: 1_000 });
    await budget.check();
    await budget.charge(usage(600, 100));
    await budget.charge(undefined);
    expect(budget.usedTokens).toBe(700);
    expect(await budget.remaining()).toBe(300);

    const error = await budget.charge(usage(250, 100)).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(BudgetExceededError);
    expect(error).toBeInstanceOf(PrismError);
    expect(error).toMatchObject({
      code: 'token_budget_exceeded',
      scope: 'review',
      usedTokens: 1_050,
      limitTokens: 1_000,
      tenantId: undefined,
      message: 'The review has used 1050 tokens; its limit is 1000.',
      hint: expect.stringContaining('findings gathered so far are kept'),
    });
    expect(budget.usage).toEqual(usage(850, 200));
    await expect(budget.check()).rejects.toMatchObject({ scope: 'review', usedTokens: 1_050 });
  });

  it('lets a review use exactly its limit, then refuses the next call', async () => {
    const budget = new TokenBudget({ maxReviewTokens: 500 });
    await budget.charge(usage(400, 100));
    expect(await budget.remaining()).toBe(0);
    await expect(budget.check()).rejects.toMatchObject({
      code: 'token_budget_exceeded',
      usedTokens: 500,
      limitTokens: 500,
    });
  });

  it('only counts without limits', async () => {
    const budget = new TokenBudget();
    await budget.charge({ inputTokens: 10, outputTokens: 5, cacheReadInputTokens: 4 });
    await budget.check();
    expect(await budget.remaining()).toBeNull();
    expect(budget.usage).toEqual({ inputTokens: 10, outputTokens: 5, cacheReadInputTokens: 4 });
  });

  it('refuses a limit that is not a whole number of at least 1', () => {
    expect(() => new TokenBudget({ maxReviewTokens: 0 })).toThrow(
      expect.objectContaining({ code: 'invalid_argument' }),
    );
  });
});

describe('TokenBudget per tenant', () => {
  it('takes each charge from the tenant allowance and throws once it runs out', async () => {
    const allowance = new MemoryTenantAllowance({ acme: 1_000 });
    const budget = new TokenBudget({ tenant: { id: 'acme', allowance } });
    await budget.check();
    await budget.charge(usage(700, 100));
    expect(await allowance.remaining('acme')).toBe(200);
    expect(await budget.remaining()).toBe(200);

    const error = await budget.charge(usage(250, 50)).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(BudgetExceededError);
    expect(error).toMatchObject({
      code: 'token_budget_exceeded',
      scope: 'tenant',
      tenantId: 'acme',
      usedTokens: 1_100,
      limitTokens: 1_000,
      message:
        'Tenant "acme" has no tokens left: this review used 1100, of which its allowance covered 1000.',
      hint: expect.stringContaining("tenant's token allowance"),
    });
    expect(await allowance.remaining('acme')).toBe(-100);
  });

  it('refuses to start a call when the tenant has nothing left, even from other reviews', async () => {
    const allowance = new MemoryTenantAllowance({ acme: 300 });
    const first = new TokenBudget({ tenant: { id: 'acme', allowance } });
    const second = new TokenBudget({ maxReviewTokens: 10_000, tenant: { id: 'acme', allowance } });
    await first.charge(usage(250, 50));

    await expect(second.check()).rejects.toMatchObject({
      scope: 'tenant',
      tenantId: 'acme',
      usedTokens: 0,
      limitTokens: 0,
    });
    expect(await second.remaining()).toBe(0);

    allowance.set('acme', 5_000);
    await second.check();
    expect(await second.remaining()).toBe(5_000);
  });

  it('does not limit a tenant without an allowance', async () => {
    const allowance = new MemoryTenantAllowance({ acme: 10 });
    const budget = new TokenBudget({ tenant: { id: 'globex', allowance } });
    await budget.charge(usage(1_000_000, 1_000));
    await budget.check();
    expect(await allowance.remaining('globex')).toBeNull();
    expect(await budget.remaining()).toBeNull();
  });

  it('reports the review limit first when both are passed', async () => {
    const allowance = new MemoryTenantAllowance({ acme: 100 });
    const budget = new TokenBudget({ maxReviewTokens: 100, tenant: { id: 'acme', allowance } });
    await expect(budget.charge(usage(150, 0))).rejects.toMatchObject({ scope: 'review' });
    expect(await allowance.remaining('acme')).toBe(-50);
  });
});
