import { describe, expect, it } from 'vitest';
import {
  addUsage,
  DEFAULT_PRICES,
  estimateCost,
  findPrice,
  type PriceTable,
} from '../../../src/engine/usage/index.js';

describe('estimateCost', () => {
  it('prices input and output per million tokens', () => {
    const usage = { inputTokens: 1_000_000, outputTokens: 100_000 };
    expect(estimateCost(usage, 'openai-compatible:gpt-4o').usd).toBeCloseTo(2.5 + 1, 10);
    expect(estimateCost(usage, 'gpt-4o-mini').usd).toBeCloseTo(0.15 + 0.06, 10);
  });

  it('prices cached input at the cache read and write prices, the rest at the input price', () => {
    // 10,000 input tokens, of which 6,000 read from and 2,000 written to the cache.
    const usage = {
      inputTokens: 10_000,
      outputTokens: 1_000,
      cacheReadInputTokens: 6_000,
      cacheWriteInputTokens: 2_000,
    };
    const usd = estimateCost(usage, 'bedrock:anthropic.claude-sonnet-4-20250514-v1:0').usd;
    // 2,000 x $3 + 6,000 x $0.30 + 2,000 x $3.75 + 1,000 x $15, per million.
    expect(usd).toBeCloseTo((6_000 + 1_800 + 7_500 + 15_000) / 1_000_000, 12);
  });

  it('prices cache tokens at the input price when the model has no cache price', () => {
    const prices: PriceTable = { 'local-model': { inputPerMillion: 1, outputPerMillion: 2 } };
    const usage = {
      inputTokens: 1_000_000,
      outputTokens: 0,
      cacheReadInputTokens: 500_000,
      cacheWriteInputTokens: 100_000,
    };
    expect(estimateCost(usage, 'local-model', prices).usd).toBeCloseTo(1, 12);
  });

  it('returns null, not zero, for a model without a price', () => {
    expect(estimateCost({ inputTokens: 10, outputTokens: 10 }, 'ollama:llama3')).toEqual({
      usd: null,
    });
    expect(estimateCost({ inputTokens: 0, outputTokens: 0 }, 'ollama:llama3').usd).toBeNull();
  });

  it('lets a caller override one model and keep the other defaults', () => {
    const prices: PriceTable = {
      ...DEFAULT_PRICES,
      '*gpt-4o': { inputPerMillion: 2, outputPerMillion: 8 },
    };
    const usage = { inputTokens: 1_000_000, outputTokens: 0 };
    expect(estimateCost(usage, 'gpt-4o', prices).usd).toBeCloseTo(2, 12);
    expect(estimateCost(usage, 'gpt-4o-mini', prices).usd).toBeCloseTo(0.15, 12);
  });
});

describe('findPrice', () => {
  const prices: PriceTable = {
    'bedrock:*': { inputPerMillion: 9, outputPerMillion: 9 },
    '*anthropic.claude-sonnet-4*': { inputPerMillion: 3, outputPerMillion: 15 },
    'bedrock:anthropic.claude-sonnet-4-20250514-v1:0': { inputPerMillion: 2, outputPerMillion: 10 },
  };

  it('prefers an exact id, then the most specific pattern', () => {
    expect(
      findPrice('bedrock:anthropic.claude-sonnet-4-20250514-v1:0', prices)?.inputPerMillion,
    ).toBe(2);
    expect(
      findPrice('bedrock:us.anthropic.claude-sonnet-4-20250514-v1:0', prices)?.inputPerMillion,
    ).toBe(3);
    expect(findPrice('bedrock:amazon.nova-pro-v1:0', prices)?.inputPerMillion).toBe(9);
  });

  it('matches a pattern without * only exactly, and treats other characters literally', () => {
    const table: PriceTable = { 'gpt-4o': { inputPerMillion: 1, outputPerMillion: 1 } };
    expect(findPrice('gpt-4o', table)).not.toBeNull();
    expect(findPrice('gpt-4o-mini', table)).toBeNull();
    expect(findPrice('openai:gpt-4o', table)).toBeNull();
    const dotted: PriceTable = { 'a.b*': { inputPerMillion: 1, outputPerMillion: 1 } };
    expect(findPrice('axb-1', dotted)).toBeNull();
    expect(findPrice('a.b-1', dotted)).not.toBeNull();
  });

  it('has default prices for Claude on Bedrock and gpt-4o models', () => {
    for (const id of [
      'bedrock:anthropic.claude-sonnet-4-20250514-v1:0',
      'bedrock:us.anthropic.claude-haiku-4-5-20251001-v1:0',
      'bedrock:anthropic.claude-3-5-haiku-20241022-v1:0',
      'openai-compatible:gpt-4o-2024-11-20',
      'openai-compatible:gpt-4o-mini-2024-07-18',
    ]) {
      expect(findPrice(id, DEFAULT_PRICES), id).not.toBeNull();
    }
    expect(findPrice('gpt-4o-mini', DEFAULT_PRICES)?.inputPerMillion).toBe(0.15);
  });
});

describe('addUsage', () => {
  it('sums token counts, cache counts included when either side has them', () => {
    expect(
      addUsage({ inputTokens: 1, outputTokens: 2 }, { inputTokens: 3, outputTokens: 4 }),
    ).toEqual({
      inputTokens: 4,
      outputTokens: 6,
    });
    expect(
      addUsage(
        { inputTokens: 10, outputTokens: 1, cacheReadInputTokens: 5 },
        { inputTokens: 20, outputTokens: 2, cacheWriteInputTokens: 7 },
      ),
    ).toEqual({
      inputTokens: 30,
      outputTokens: 3,
      cacheReadInputTokens: 5,
      cacheWriteInputTokens: 7,
    });
  });
});
