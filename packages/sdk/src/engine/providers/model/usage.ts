import type { ProviderUsage } from '../../types.js';

/**
 * The sum of several calls' usage, or undefined when there were none. The prompt-cache counts
 * are present when some call reported them.
 */
export function sumUsage(usages: readonly ProviderUsage[]): ProviderUsage | undefined {
  if (usages.length === 0) return undefined;
  const total: ProviderUsage = { inputTokens: 0, outputTokens: 0 };
  for (const usage of usages) {
    total.inputTokens += usage.inputTokens;
    total.outputTokens += usage.outputTokens;
    if (usage.cacheReadInputTokens !== undefined) {
      total.cacheReadInputTokens = (total.cacheReadInputTokens ?? 0) + usage.cacheReadInputTokens;
    }
    if (usage.cacheWriteInputTokens !== undefined) {
      total.cacheWriteInputTokens =
        (total.cacheWriteInputTokens ?? 0) + usage.cacheWriteInputTokens;
    }
  }
  return total;
}
