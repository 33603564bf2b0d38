import { describe, expect, it } from 'vitest';
import { MemoryStore, MonthlyTokenAllowance } from '../../src/index.js';

describe('MonthlyTokenAllowance', () => {
  it('counts each tenant apart, and renews on the first of the month', async () => {
    let now = new Date('2026-11-29T10:00:00Z');
    const allowance = new MonthlyTokenAllowance(new MemoryStore(), 1000, () => now);
    await allowance.consume('alpha', 300);
    await allowance.consume('alpha', 500);
    expect(await allowance.remaining('alpha')).toBe(200);
    expect(await allowance.remaining('beta')).toBe(1000);
    await allowance.consume('alpha', 400);
    expect(await allowance.remaining('alpha')).toBe(-200);

    now = new Date('2026-12-01T00:00:00Z');
    expect(await allowance.remaining('alpha')).toBe(1000);
  });

  it('loses no tokens when reviews of one tenant count at the same time', async () => {
    const store = new MemoryStore();
    const allowance = new MonthlyTokenAllowance(store, 1_000_000);
    await Promise.all(Array.from({ length: 20 }, () => allowance.consume('alpha', 10)));
    expect(await allowance.remaining('alpha')).toBe(1_000_000 - 200);
  });

  it('refuses an allowance that is not a whole number above 0', () => {
    expect(() => new MonthlyTokenAllowance(new MemoryStore(), 0)).toThrow(
      expect.objectContaining({ code: 'invalid_argument' }),
    );
  });
});
