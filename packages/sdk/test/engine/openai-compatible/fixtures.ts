import { HttpResponse } from 'msw';
import type { ModelTool, ToolRequest } from '../../../src/engine/providers/model/model-client.js';

/** An OpenAI API key in the real format (`sk-proj-...`), so redaction of the real format is tested. */
export const OPENAI_KEY = 'sk-proj-PrismTest0123456789abcdefABCDEF0123456789';

/** An Azure OpenAI resource key in the real format (32 hex digits). */
export const AZURE_KEY = '0123456789abcdef0123456789abcdef';

/** The tool a review asks the model to call. */
export const findingsTool: ModelTool = {
  name: 'record_findings',
  description: 'Records the findings of a section review.',
  inputSchema: {
    type: 'object',
    properties: {
      findings: {
        type: 'array',
        items: {
          type: 'object',
          properties: { rule: { type: 'string' }, message: { type: 'string' } },
          required: ['rule', 'message'],
        },
      },
    },
    required: ['findings'],
    additionalProperties: false,
  },
};

/** A section review request. */
export const toolRequest: ToolRequest = {
  system: [
    { text: 'You review incident investigation reports.', cache: true },
    { text: 'Apply the Hawkeye framework.', cache: false },
  ],
  messages: [{ role: 'user', text: 'Section 2. Timeline: the alarm sounded at 14:02.' }],
  tool: findingsTool,
  maxOutputTokens: 1024,
};

/** The tool input the model writes in the fixtures. */
export const findingsInput = {
  findings: [{ rule: 'timeline', message: 'Say who acknowledged the alarm, and when.' }],
};

/** A tool call as OpenAI writes it in `choices[].message.tool_calls`. */
export function toolCall(
  args: string,
  name = findingsTool.name,
  id = 'call_Ue2bDqNbYWFcRZbnuwH6dNvT',
) {
  return { id, type: 'function', function: { name, arguments: args } };
}

/**
 * A `chat.completion` object as OpenAI's API answers a forced tool call (`finish_reason` is `stop`
 * when `tool_choice` names the function).
 */
export function chatCompletion(
  message: Record<string, unknown>,
  options: { finishReason?: string; usage?: Record<string, unknown> } = {},
) {
  return {
    id: 'chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT',
    object: 'chat.completion',
    created: 1741569952,
    model: 'gpt-4o-2024-08-06',
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content: null, refusal: null, annotations: [], ...message },
        logprobs: null,
        finish_reason: options.finishReason ?? 'stop',
      },
    ],
    usage: options.usage ?? {
      prompt_tokens: 1830,
      completion_tokens: 41,
      total_tokens: 1871,
      prompt_tokens_details: { cached_tokens: 1536, audio_tokens: 0 },
      completion_tokens_details: {
        reasoning_tokens: 0,
        audio_tokens: 0,
        accepted_prediction_tokens: 0,
        rejected_prediction_tokens: 0,
      },
    },
    service_tier: 'default',
    system_fingerprint: 'fp_50cad350e4',
  };
}

/** A `chat.completion.chunk` object of a streamed answer. */
export function chunk(
  delta: Record<string, unknown> | undefined,
  options: { finishReason?: string; usage?: Record<string, unknown> } = {},
) {
  return {
    id: 'chatcmpl-B9MC0f8uQ1s9vKZJfR2yT7mVb3NpX',
    object: 'chat.completion.chunk',
    created: 1741569960,
    model: 'gpt-4o-2024-08-06',
    service_tier: 'default',
    system_fingerprint: 'fp_50cad350e4',
    choices: delta
      ? [{ index: 0, delta, logprobs: null, finish_reason: options.finishReason ?? null }]
      : [],
    usage: options.usage ?? null,
  };
}

/** An error response in OpenAI's shape: `{"error": {"message", "type", "param", "code"}}`. */
export function openAIError(
  status: number,
  error: { message: string; type?: string | null; param?: string | null; code?: string | null },
  headers: Record<string, string> = {},
): Response {
  return HttpResponse.json(
    { error: { type: null, param: null, code: null, ...error } },
    { status, headers: { 'x-request-id': `req_${status}`, ...headers } },
  );
}

/** A server-sent event stream of `events` (`data:` lines), cut into `pieces` of a few bytes. */
export function eventStream(text: string, pieceLength: number): Response {
  const bytes = new TextEncoder().encode(text);
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      for (let start = 0; start < bytes.length; start += pieceLength) {
        controller.enqueue(bytes.slice(start, start + pieceLength));
      }
      controller.close();
    },
  });
  return new HttpResponse(stream, {
    headers: { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' },
  });
}
