import { randomBytes } from 'node:crypto';
import { HttpResponse, http } from 'msw';
import type { SetupServer } from 'msw/node';
import { bedrockError, modelUrl } from '../engine/bedrock/bedrock-fixture.js';
import { type Asked, answerFor, readAsked, type ToolInput } from './fake-reviewer.js';

/** The Bedrock model the tests review with: Claude Sonnet 4 through its US inference profile. */
export const BEDROCK_MODEL_ID = 'us.anthropic.claude-sonnet-4-20250514-v1:0';

/** A content block of a Converse message, as sent on the wire. */
export interface ConverseBlock {
  text?: string;
  toolUse?: { toolUseId: string; name: string; input: unknown };
  toolResult?: { toolUseId: string; content: { text: string }[]; status?: string };
}

/** The JSON body of a Converse request. */
export interface ConverseRequestBody {
  system?: { text?: string; cachePoint?: { type: string } }[];
  messages: { role: 'user' | 'assistant'; content: ConverseBlock[] }[];
  inferenceConfig?: { maxTokens?: number };
  toolConfig?: {
    tools: { toolSpec: { name: string; description: string; inputSchema: { json: unknown } } }[];
    toolChoice: { tool?: { name: string }; any?: object; auto?: object };
  };
}

/** Token counts as Converse reports them (`inputTokens` excludes the prompt cache's). */
export interface ConverseUsage {
  inputTokens: number;
  outputTokens: number;
  totalTokens: number;
  cacheReadInputTokens?: number;
  cacheWriteInputTokens?: number;
}

/** One Converse request the mock received, and what it answered. */
export interface ConverseCall {
  /** The request's URL. */
  url: string;
  /** The request's headers. */
  headers: Headers;
  /** The request's JSON body. */
  body: ConverseRequestBody;
  /** What the first user turn asks. */
  asked: Asked;
  /** The usage the answer reported; absent when the mock answered with an error. */
  usage?: ConverseUsage;
  /** The tool input the answer held; absent when the mock answered with an error. */
  answer?: ToolInput;
  /** The id of the answer's tool use; absent when the mock answered with an error. */
  toolUseId?: string;
}

/**
 * What a test's `reply` makes of a request: an HTTP response (e.g. an error), a tool input to
 * answer with, or undefined for the careful model's answer ({@link answerFor}).
 */
export type ConverseReply = Response | ToolInput | undefined;

/** How the mocked model answers. */
export interface BedrockModelOptions {
  /** Decides the answer to a request; `call.index` counts the requests from 0. */
  reply?: (call: ConverseCall & { index: number }) => ConverseReply;
  /** The usage of an answer; by default it grows with the prompt and the answer. */
  usage?: (call: ConverseCall & { index: number }, answer: ToolInput) => ConverseUsage;
}

/** The Converse requests a mocked model received, in order. */
export interface BedrockModel {
  readonly calls: ConverseCall[];
}

/** Tokens of the framework prefix Bedrock keeps in the prompt cache. */
const CACHED_PREFIX_TOKENS = 1850;

/**
 * The default usage: the prompt's user turn at about four characters a token; the cached
 * prefix written by the first request and read by the others; 25 tokens plus 60 a finding out.
 */
function defaultUsage(call: ConverseCall & { index: number }, answer: ToolInput): ConverseUsage {
  const user = call.body.messages.flatMap((message) => message.content.map((b) => b.text ?? ''));
  const inputTokens = Math.ceil(user.join('').length / 4);
  const outputTokens = 25 + 60 * answer.findings.length;
  const cache =
    call.index === 0
      ? { cacheWriteInputTokens: CACHED_PREFIX_TOKENS }
      : { cacheReadInputTokens: CACHED_PREFIX_TOKENS };
  return {
    inputTokens,
    outputTokens,
    totalTokens: inputTokens + outputTokens + CACHED_PREFIX_TOKENS,
    ...cache,
  };
}

/**
 * Answers Converse requests for {@link BEDROCK_MODEL_ID} on `server` the way Bedrock does: a
 * forced `record_findings` call in `output.message.content[].toolUse`, `stopReason: tool_use`,
 * the usage and metrics. Every request is recorded with what it asks.
 */
export function useBedrockModel(
  server: Pick<SetupServer, 'use'>,
  options: BedrockModelOptions = {},
): BedrockModel {
  const calls: ConverseCall[] = [];
  server.use(
    http.post(modelUrl(BEDROCK_MODEL_ID, 'converse'), async ({ request }) => {
      const body = (await request.json()) as ConverseRequestBody;
      const call: ConverseCall = {
        url: request.url,
        headers: request.headers,
        body,
        asked: readAsked(body.messages[0]?.content[0]?.text ?? ''),
      };
      const indexed = { ...call, index: calls.length };
      calls.push(call);
      const reply = options.reply?.(indexed);
      if (reply instanceof Response) return reply;
      const answer = reply ?? answerFor(call.asked, BEDROCK_MODEL_ID);
      const usage = (options.usage ?? defaultUsage)(indexed, answer);
      call.answer = answer;
      call.usage = usage;
      call.toolUseId = `tooluse_${randomBytes(16).toString('base64url').slice(0, 22)}`;
      return HttpResponse.json(converseAnswer(call.toolUseId, answer, usage), {
        headers: { 'x-amzn-requestid': requestId() },
      });
    }),
  );
  return { calls };
}

/** A Converse answer calling `record_findings` with `input`. */
function converseAnswer(
  toolUseId: string,
  input: ToolInput,
  usage: ConverseUsage,
): Record<string, unknown> {
  return {
    output: {
      message: {
        role: 'assistant',
        content: [
          {
            toolUse: {
              toolUseId,
              name: 'record_findings',
              input,
            },
          },
        ],
      },
    },
    stopReason: 'tool_use',
    usage,
    metrics: { latencyMs: 1840 },
  };
}

/** 429 ThrottlingException, as Bedrock refuses a request over the account's quota. */
export function throttled(): Response {
  return bedrockError(
    429,
    'ThrottlingException',
    'Too many requests, please wait before trying again.',
  );
}

/** 503 ServiceUnavailableException, as Bedrock answers when it cannot serve the model. */
export function serviceUnavailable(): Response {
  return bedrockError(
    503,
    'ServiceUnavailableException',
    'Bedrock is unable to process your request.',
  );
}

/** 400 ValidationException for a prompt longer than the model's context window. */
export function inputTooLong(): Response {
  return bedrockError(400, 'ValidationException', 'Input is too long for requested model.');
}

/** Token usage as a review records it: cache counts present only when some call had them. */
export interface RecordedUsage {
  inputTokens: number;
  outputTokens: number;
  cacheReadInputTokens?: number;
  cacheWriteInputTokens?: number;
}

/**
 * The summed usage of the calls that were answered, as Prism records it: Bedrock's
 * `inputTokens` plus the cached input it reports beside them.
 */
export function answeredUsage(calls: readonly ConverseCall[]): RecordedUsage {
  const total: RecordedUsage = { inputTokens: 0, outputTokens: 0 };
  for (const { usage } of calls) {
    if (usage === undefined) continue;
    const read = usage.cacheReadInputTokens ?? 0;
    const write = usage.cacheWriteInputTokens ?? 0;
    total.inputTokens += usage.inputTokens + read + write;
    total.outputTokens += usage.outputTokens;
    if (read > 0) total.cacheReadInputTokens = (total.cacheReadInputTokens ?? 0) + read;
    if (write > 0) total.cacheWriteInputTokens = (total.cacheWriteInputTokens ?? 0) + write;
  }
  return total;
}

/**
 * What a Claude Sonnet 4 usage costs at the Bedrock list prices (USD per million tokens: input
 * 3, cache read 0.30, cache write 3.75, output 15).
 */
export function sonnetCostUsd(usage: RecordedUsage): number {
  const read = usage.cacheReadInputTokens ?? 0;
  const write = usage.cacheWriteInputTokens ?? 0;
  const uncached = usage.inputTokens - read - write;
  return (uncached * 3 + read * 0.3 + write * 3.75 + usage.outputTokens * 15) / 1_000_000;
}

function requestId(): string {
  return randomBytes(16)
    .toString('hex')
    .replace(/^(.{8})(.{4})(.{4})(.{4})/, '$1-$2-$3-$4-');
}
