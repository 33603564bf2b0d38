/**
 * The cross-region inference profile prefixes Bedrock puts before a model id
 * (`us.anthropic.claude-…`, `global.anthropic.claude-…`).
 */
const PROFILE_PREFIX = /^(?:us|us-gov|eu|apac|jp|au|ca|global)\./;

/**
 * Model ids (without profile prefix) that accept `cachePoint` blocks, as Bedrock's prompt
 * caching documentation lists them: Claude 3.5 Haiku, Claude 3.7 Sonnet, every Claude 4 model
 * (Sonnet, Opus, Haiku, 4.x) and the Amazon Nova text models. Claude 3.5 Sonnet v2 had caching
 * only in a closed preview, so it is left out: a cache point there is refused.
 */
const CACHING_MODELS: readonly RegExp[] = [
  /^anthropic\.claude-3-5-haiku-/,
  /^anthropic\.claude-3-7-sonnet-/,
  /^anthropic\.claude-(?:sonnet|opus|haiku)-[4-9]/,
  /^amazon\.nova-/,
];

/**
 * Whether a Bedrock model (a model id, an inference profile id, or a foundation-model ARN)
 * supports prompt caching, so that `cachePoint` blocks may be sent to it. Unknown ids, such as
 * application inference profile ARNs, answer false: the request then goes without cache points,
 * which every model accepts.
 */
export function supportsPromptCaching(modelId: string): boolean {
  const bare = (modelId.split('/').pop() ?? modelId).replace(PROFILE_PREFIX, '');
  return CACHING_MODELS.some((pattern) => pattern.test(bare));
}
