import type { ProviderUsage } from '../types.js';

/** A model's list prices, in US dollars per million tokens. */
export interface ModelPrice {
  /** Input tokens neither read from nor written to the prompt cache. */
  inputPerMillion: number;
  /** Output tokens. */
  outputPerMillion: number;
  /** Input tokens read from the prompt cache. Default: `inputPerMillion`. */
  cacheReadPerMillion?: number;
  /** Input tokens written to the prompt cache. Default: `inputPerMillion`. */
  cacheWritePerMillion?: number;
}

/**
 * Prices by model pattern. A pattern without `*` matches only that exact id; `*` matches any run
 * of characters (none included), so `*anthropic.claude-sonnet-4*` matches
 * `bedrock:us.anthropic.claude-sonnet-4-20250514-v1:0`. Matching is case-sensitive. When several
 * patterns match, an exact id wins, then the pattern with the most characters besides `*`.
 */
export type PriceTable = { [modelPattern: string]: ModelPrice };

/**
 * On-demand list prices of a few models (USD per million tokens), as published by AWS (Amazon
 * Bedrock) and OpenAI in May 2026. Bedrock's Claude prompt cache costs 1.25x input to write
 * and 0.1x input to read; OpenAI's cached input costs half of input and has no write price.
 * The Claude 4.5 rates are the global cross-Region ones: Bedrock charges 10% more for geographic
 * and in-Region inference. Prices change: spread this table into your own and override what your
 * contract says, e.g. `{ ...DEFAULT_PRICES, '*gpt-4o': { inputPerMillion: 2, outputPerMillion: 8 } }`.
 */
export const DEFAULT_PRICES: Readonly<PriceTable> = {
  '*anthropic.claude-sonnet-4*': {
    inputPerMillion: 3,
    outputPerMillion: 15,
    cacheReadPerMillion: 0.3,
    cacheWritePerMillion: 3.75,
  },
  '*anthropic.claude-haiku-4-5*': {
    inputPerMillion: 1,
    outputPerMillion: 5,
    cacheReadPerMillion: 0.1,
    cacheWritePerMillion: 1.25,
  },
  '*anthropic.claude-3-5-haiku*': {
    inputPerMillion: 0.8,
    outputPerMillion: 4,
    cacheReadPerMillion: 0.08,
    cacheWritePerMillion: 1,
  },
  '*gpt-4o': { inputPerMillion: 2.5, outputPerMillion: 10, cacheReadPerMillion: 1.25 },
  '*gpt-4o-2024-08-06': { inputPerMillion: 2.5, outputPerMillion: 10, cacheReadPerMillion: 1.25 },
  '*gpt-4o-2024-11-20': { inputPerMillion: 2.5, outputPerMillion: 10, cacheReadPerMillion: 1.25 },
  '*gpt-4o-mini': { inputPerMillion: 0.15, outputPerMillion: 0.6, cacheReadPerMillion: 0.075 },
  '*gpt-4o-mini-2024-07-18': {
    inputPerMillion: 0.15,
    outputPerMillion: 0.6,
    cacheReadPerMillion: 0.075,
  },
};

/** What a model call cost. */
export interface CostEstimate {
  /** US dollars, or null when the model has no price in the table (unknown, not free). */
  usd: number | null;
}

/**
 * The price of `modelId` in `prices` (see {@link PriceTable} for how ids match), or null when
 * no pattern matches.
 */
export function findPrice(modelId: string, prices: Readonly<PriceTable>): ModelPrice | null {
  const exact = Object.hasOwn(prices, modelId) ? prices[modelId] : undefined;
  if (exact) return exact;
  let best: { price: ModelPrice; specificity: number } | null = null;
  for (const [pattern, price] of Object.entries(prices)) {
    if (!pattern.includes('*') || !globMatches(pattern, modelId)) continue;
    const specificity = pattern.replaceAll('*', '').length;
    if (best === null || specificity > best.specificity) best = { price, specificity };
  }
  return best?.price ?? null;
}

/**
 * What `usage` cost on `modelId`, in US dollars. `usage.inputTokens` includes the cached tokens
 * (as {@link ProviderUsage} counts them): those are priced at the cache read and write prices,
 * the rest at the input price. `{ usd: null }` when the model has no price.
 */
export function estimateCost(
  usage: ProviderUsage,
  modelId: string,
  prices: Readonly<PriceTable> = DEFAULT_PRICES,
): CostEstimate {
  const price = findPrice(modelId, prices);
  if (!price) return { usd: null };
  const cacheRead = usage.cacheReadInputTokens ?? 0;
  const cacheWrite = usage.cacheWriteInputTokens ?? 0;
  const uncached = Math.max(0, usage.inputTokens - cacheRead - cacheWrite);
  const tokenDollarsPerMillion =
    uncached * price.inputPerMillion +
    cacheRead * (price.cacheReadPerMillion ?? price.inputPerMillion) +
    cacheWrite * (price.cacheWritePerMillion ?? price.inputPerMillion) +
    usage.outputTokens * price.outputPerMillion;
  return { usd: tokenDollarsPerMillion / 1_000_000 };
}

/**
 * The sum of two usages; the cache counts are present in the sum when either has them.
 */
export function addUsage(a: ProviderUsage, b: ProviderUsage): ProviderUsage {
  const sum: ProviderUsage = {
    inputTokens: a.inputTokens + b.inputTokens,
    outputTokens: a.outputTokens + b.outputTokens,
  };
  if (a.cacheReadInputTokens !== undefined || b.cacheReadInputTokens !== undefined) {
    sum.cacheReadInputTokens = (a.cacheReadInputTokens ?? 0) + (b.cacheReadInputTokens ?? 0);
  }
  if (a.cacheWriteInputTokens !== undefined || b.cacheWriteInputTokens !== undefined) {
    sum.cacheWriteInputTokens = (a.cacheWriteInputTokens ?? 0) + (b.cacheWriteInputTokens ?? 0);
  }
  return sum;
}

function globMatches(pattern: string, value: string): boolean {
  const source = pattern
    .split('*')
    .map((literal) => literal.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${source}$`, 's').test(value);
}
