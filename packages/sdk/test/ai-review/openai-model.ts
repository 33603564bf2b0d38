import { randomBytes } from 'node:crypto';
import { HttpResponse, http } from 'msw';
import type { MockService } from '../engine/openai-compatible/mock-service.js';
import { type Asked, answerFor, readAsked, type ToolInput } from './fake-reviewer.js';

/** The JSON body of a chat completions request. */
export interface ChatRequestBody {
  model: string;
  messages: { role: string; content: string | null; tool_calls?: unknown[] }[];
  tools?: { type: string; function: { name: string; description: string; parameters: unknown } }[];
  tool_choice?: unknown;
  max_tokens?: number;
}

/** The `usage` of a chat completion, as OpenAI reports it. */
export interface ChatUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  prompt_tokens_details: { cached_tokens: number; audio_tokens: number };
  completion_tokens_details: {
    reasoning_tokens: number;
    audio_tokens: number;
    accepted_prediction_tokens: number;
    rejected_prediction_tokens: number;
  };
}

/** One chat completions request the mock received, and the usage it answered with. */
export interface ChatCall {
  /** The request's headers. */
  headers: Headers;
  /** The request's JSON body. */
  body: ChatRequestBody;
  /** What the user turn asks. */
  asked: Asked;
  /** The usage of the answer. */
  usage: ChatUsage;
}

/** The chat completions requests a mocked model received, in order. */
export interface OpenAIModel {
  readonly calls: ChatCall[];
}

/** Tokens of a repeated prompt prefix OpenAI serves from its cache (a multiple of 128). */
const CACHED_PREFIX_TOKENS = 1024;

/**
 * Answers chat completions requests at `<origin>/v1/chat/completions` the way OpenAI answers a
 * forced function call: a `chat.completion` whose message holds one `tool_calls` entry (its
 * arguments a JSON text), `finish_reason: stop`, and the usage. The prompt is about four
 * characters a token; after the first request its cached prefix is reported.
 */
export function useOpenAIModel(service: MockService): OpenAIModel {
  const calls: ChatCall[] = [];
  service.use(
    http.post(`${service.origin}/v1/chat/completions`, async ({ request }) => {
      const body = (await request.json()) as ChatRequestBody;
      const user = body.messages.find((message) => message.role === 'user')?.content ?? '';
      const asked = readAsked(user);
      const answer = answerFor(asked, body.model);
      const promptChars = body.messages.reduce((sum, m) => sum + (m.content ?? '').length, 0);
      const promptTokens = Math.ceil(promptChars / 4);
      const completionTokens = 25 + 60 * answer.findings.length;
      const usage: ChatUsage = {
        prompt_tokens: promptTokens,
        completion_tokens: completionTokens,
        total_tokens: promptTokens + completionTokens,
        prompt_tokens_details: {
          cached_tokens: calls.length === 0 ? 0 : CACHED_PREFIX_TOKENS,
          audio_tokens: 0,
        },
        completion_tokens_details: {
          reasoning_tokens: 0,
          audio_tokens: 0,
          accepted_prediction_tokens: 0,
          rejected_prediction_tokens: 0,
        },
      };
      calls.push({ headers: request.headers, body, asked, usage });
      return HttpResponse.json(chatCompletion(body.model, answer, usage), {
        headers: { 'x-request-id': `req_${randomBytes(16).toString('hex')}` },
      });
    }),
  );
  return { calls };
}

/** A `chat.completion` object calling `record_findings` with `input`. */
function chatCompletion(model: string, input: ToolInput, usage: ChatUsage) {
  return {
    id: `chatcmpl-${randomBytes(15).toString('base64url')}`,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model: model === 'gpt-4o-mini' ? 'gpt-4o-mini-2024-07-18' : model,
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content: null,
          tool_calls: [
            {
              id: `call_${randomBytes(18).toString('base64url')}`,
              type: 'function',
              function: { name: 'record_findings', arguments: JSON.stringify(input) },
            },
          ],
          refusal: null,
          annotations: [],
        },
        logprobs: null,
        finish_reason: 'stop',
      },
    ],
    usage,
    service_tier: 'default',
    system_fingerprint: 'fp_34a54ae93c',
  };
}

/** The summed usage of the calls, as Prism records it (cached tokens counted in the input). */
export function chatUsage(calls: readonly ChatCall[]): {
  inputTokens: number;
  outputTokens: number;
  cacheReadInputTokens: number;
} {
  return {
    inputTokens: calls.reduce((sum, call) => sum + call.usage.prompt_tokens, 0),
    outputTokens: calls.reduce((sum, call) => sum + call.usage.completion_tokens, 0),
    cacheReadInputTokens: calls.reduce(
      (sum, call) => sum + call.usage.prompt_tokens_details.cached_tokens,
      0,
    ),
  };
}

/**
 * What a GPT-4o mini usage costs at OpenAI's list prices (USD per million tokens: input 0.15,
 * cached input 0.075, output 0.60).
 */
export function gpt4oMiniCostUsd(usage: ReturnType<typeof chatUsage>): number {
  const uncached = usage.inputTokens - usage.cacheReadInputTokens;
  return (
    (uncached * 0.15 + usage.cacheReadInputTokens * 0.075 + usage.outputTokens * 0.6) / 1_000_000
  );
}
