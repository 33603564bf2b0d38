import type { TokenUsage } from '@aws-sdk/client-bedrock-runtime';
import type { ProviderUsage } from '../../types.js';

/**
 * Bedrock's token counts as Prism's {@link ProviderUsage}.
 *
 * Bedrock reports `inputTokens` as the input that was neither read from nor written to the
 * prompt cache: the cache counts come on top of it (its `totalTokens` is the sum of all four).
 * {@link ProviderUsage} counts the cached tokens in `inputTokens` too, so they are added here;
 * `inputTokens` is then the whole prompt the model read, however it was billed.
 */
export function toProviderUsage(usage: TokenUsage | undefined): ProviderUsage {
  const cacheRead = usage?.cacheReadInputTokens ?? 0;
  const cacheWrite = usage?.cacheWriteInputTokens ?? 0;
  const mapped: ProviderUsage = {
    inputTokens: (usage?.inputTokens ?? 0) + cacheRead + cacheWrite,
    outputTokens: usage?.outputTokens ?? 0,
  };
  if (cacheRead > 0) mapped.cacheReadInputTokens = cacheRead;
  if (cacheWrite > 0) mapped.cacheWriteInputTokens = cacheWrite;
  return mapped;
}
