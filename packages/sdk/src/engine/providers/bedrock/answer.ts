import type { ConverseCommandOutput } from '@aws-sdk/client-bedrock-runtime';
import type { ToolAnswer } from '../model/model-client.js';
import { ModelError } from '../model/model-error.js';
import { toProviderUsage } from './usage.js';

/**
 * The model's call of `toolName` in a Converse answer.
 *
 * @throws {ModelError} `model_answer_invalid` when the answer was cut off at `maxTokens` (the
 * tool input is then incomplete) or holds no call of the tool.
 */
export function toToolAnswer(
  response: ConverseCommandOutput,
  toolName: string,
  modelId: string,
): ToolAnswer {
  if (response.stopReason === 'max_tokens') {
    throw new ModelError(
      'model_answer_invalid',
      `Bedrock (${modelId}): the answer was cut off at the output token limit.`,
      { hint: 'Raise maxOutputTokens, or ask for less in one call (e.g. a smaller section).' },
    );
  }
  const content = response.output?.message?.content ?? [];
  const toolUse = content.find((block) => block.toolUse?.name === toolName)?.toolUse;
  if (toolUse === undefined) {
    throw new ModelError(
      'model_answer_invalid',
      `Bedrock (${modelId}): the model answered without calling the tool '${toolName}' (stop reason: ${response.stopReason ?? 'none'}).`,
      { hint: 'Retry; if it keeps happening, use a model that supports forced tool use.' },
    );
  }
  return {
    call: { id: toolUse.toolUseId ?? '', name: toolName, input: toolUse.input },
    usage: toProviderUsage(response.usage),
  };
}
