import type {
  ContentBlock,
  Message,
  SystemContentBlock,
  Tool,
  ToolUseBlock,
} from '@aws-sdk/client-bedrock-runtime';
import type { ModelMessage, ModelTool, SystemPart, TextRequest } from '../model/model-client.js';

/** A JSON value as the Bedrock SDK types it (its `Document` type). */
type JsonDocument = NonNullable<ToolUseBlock['input']>;

/** A turn of a tool request's or of a chat's conversation. */
type Turn = ModelMessage | TextRequest['messages'][number];

/**
 * The system prompt as Converse `system` blocks. With `caching`, a `cachePoint` block follows
 * each part marked `cache: true`, so Bedrock caches the prompt up to there; without it the
 * marks are dropped.
 */
export function toConverseSystem(parts: SystemPart[], caching: boolean): SystemContentBlock[] {
  return parts.flatMap((part): SystemContentBlock[] =>
    caching && part.cache
      ? [{ text: part.text }, { cachePoint: { type: 'default' } }]
      : [{ text: part.text }],
  );
}

/**
 * The conversation as Converse messages. Consecutive turns of the same role (a refused tool
 * result followed by a user's instruction) become one message, as Converse requires the roles
 * to alternate.
 */
export function toConverseMessages(messages: readonly Turn[]): Message[] {
  const merged: Message[] = [];
  for (const message of messages) {
    const block = toContentBlock(message);
    const last = merged.at(-1);
    if (last?.role === message.role) last.content?.push(block);
    else merged.push({ role: message.role, content: [block] });
  }
  return merged;
}

/** The one tool of a request, in Converse's `toolSpec` shape. */
export function toConverseTool(tool: ModelTool): Tool {
  return {
    toolSpec: {
      name: tool.name,
      description: tool.description,
      // A JSON Schema is a JSON object, which is what the SDK's Document type describes.
      inputSchema: { json: tool.inputSchema as JsonDocument },
    },
  };
}

function toContentBlock(message: Turn): ContentBlock {
  if ('toolCall' in message) {
    const { id, name, input } = message.toolCall;
    // The input was parsed from the model's own JSON, so it is a JSON value.
    return { toolUse: { toolUseId: id, name, input: input as JsonDocument } };
  }
  if ('toolResult' in message) {
    const { toolCallId, error } = message.toolResult;
    return { toolResult: { toolUseId: toolCallId, content: [{ text: error }], status: 'error' } };
  }
  return { text: message.text };
}
