import type { TextRequest, ToolRequest } from '../model/model-client.js';

/** Characters per token assumed by {@link estimateRequestTokens}: English prose averages about 4. */
export const CHARS_PER_TOKEN = 4;

/**
 * The tokens a request may take from a tokens-per-minute quota, estimated without a tokenizer:
 * `ceil(chars / 4)` over every character sent (the system parts, every message, the tool's name,
 * description and JSON schema, a tool call's name and JSON input, a tool result's error), plus
 * `maxOutputTokens`.
 *
 * The whole `maxOutputTokens` is counted because the model services reserve it against the
 * quota when the request starts (Bedrock and OpenAI both do), whatever the answer then uses.
 * Four characters a token is close for English prose and low for code, JSON and most other
 * languages, so leave the quota some headroom.
 */
export function estimateRequestTokens(request: ToolRequest | TextRequest): number {
  let chars = 0;
  for (const part of request.system) chars += part.text.length;
  for (const message of request.messages) {
    if ('text' in message) chars += message.text.length;
    else if ('toolCall' in message) {
      chars += message.toolCall.name.length + jsonLength(message.toolCall.input);
    } else chars += message.toolResult.error.length;
  }
  if ('tool' in request) {
    const { name, description, inputSchema } = request.tool;
    chars += name.length + description.length + jsonLength(inputSchema);
  }
  return Math.ceil(chars / CHARS_PER_TOKEN) + request.maxOutputTokens;
}

function jsonLength(value: unknown): number {
  return JSON.stringify(value)?.length ?? 0;
}
