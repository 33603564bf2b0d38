import type { ModelMessage, SystemPart, TextRequest, ToolRequest } from '../model/model-client.js';
import type { ServiceSettings } from './options.js';

/** A message of OpenAI's chat completions API. */
export type ChatMessage =
  | { role: 'system' | 'user' | 'assistant'; content: string }
  | { role: 'assistant'; content: null; tool_calls: ChatToolCall[] }
  | { role: 'tool'; tool_call_id: string; content: string };

/** A tool call in an assistant message: its arguments are a JSON text. */
interface ChatToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

/**
 * The messages of a request: the system parts joined into one `system` message (compatible
 * services cache prompt prefixes on their own, so the parts' cache points are dropped), then the
 * conversation; a tool call becomes an assistant message with `tool_calls`, its refusal a `tool`
 * message.
 */
export function chatMessages(
  system: SystemPart[],
  messages: Array<ModelMessage | { role: 'user' | 'assistant'; text: string }>,
): ChatMessage[] {
  const chat: ChatMessage[] = [];
  const prompt = system.map((part) => part.text).join('\n\n');
  if (prompt) chat.push({ role: 'system', content: prompt });
  for (const message of messages) chat.push(chatMessage(message));
  return chat;
}

function chatMessage(message: ModelMessage | TextRequest['messages'][number]): ChatMessage {
  if ('toolCall' in message) {
    const { id, name, input } = message.toolCall;
    return {
      role: 'assistant',
      content: null,
      tool_calls: [{ id, type: 'function', function: { name, arguments: JSON.stringify(input) } }],
    };
  }
  if ('toolResult' in message) {
    const { toolCallId, error } = message.toolResult;
    return { role: 'tool', tool_call_id: toolCallId, content: error };
  }
  return { role: message.role, content: message.text };
}

/** The body of a request that forces a call of `request.tool`. */
export function toolRequestBody(request: ToolRequest, settings: ServiceSettings): object {
  const { tool } = request;
  return {
    model: settings.model,
    messages: chatMessages(request.system, request.messages),
    tools: [
      {
        type: 'function',
        function: { name: tool.name, description: tool.description, parameters: tool.inputSchema },
      },
    ],
    tool_choice: { type: 'function', function: { name: tool.name } },
    [settings.maxTokensParameter]: request.maxOutputTokens,
  };
}

/** The body of a request for a streamed text answer, with the usage as its last event. */
export function textRequestBody(request: TextRequest, settings: ServiceSettings): object {
  return {
    model: settings.model,
    messages: chatMessages(request.system, request.messages),
    [settings.maxTokensParameter]: request.maxOutputTokens,
    stream: true,
    stream_options: { include_usage: true },
  };
}
