import { z } from 'zod';
import type { ProviderUsage } from '../../types.js';
import type { ToolAnswer, ToolRequest } from '../model/model-client.js';
import { ModelError } from '../model/model-error.js';
import { type ServiceSettings, serviceName } from './options.js';

/** Longest part of a model's unparseable tool input quoted in an error's message. */
const QUOTE_LIMIT = 500;

/** The `usage` of a chat completion (or of a stream's last chunk). */
const UsageSchema = z.object({
  prompt_tokens: z.number().nullish(),
  completion_tokens: z.number().nullish(),
  prompt_tokens_details: z.object({ cached_tokens: z.number().nullish() }).nullish(),
});

/** The parts of a `chat.completion` object a tool answer is read from. */
const ChatCompletionSchema = z.object({
  choices: z.array(
    z.object({
      message: z.object({
        content: z.string().nullish(),
        refusal: z.string().nullish(),
        tool_calls: z
          .array(
            z.object({
              id: z.string().nullish(),
              // A JSON text; a few compatible servers send the object itself.
              function: z.object({ name: z.string(), arguments: z.unknown() }),
            }),
          )
          .nullish(),
      }),
      finish_reason: z.string().nullish(),
    }),
  ),
  usage: UsageSchema.nullish(),
});

/** The parts of a `chat.completion.chunk` object a streamed answer is read from. */
export const ChatCompletionChunkSchema = z.object({
  // Empty, null or absent in the last chunk, which carries the usage.
  choices: z
    .array(
      z.object({
        delta: z.object({ content: z.string().nullish() }).nullish(),
        finish_reason: z.string().nullish(),
      }),
    )
    .nullish(),
  usage: UsageSchema.nullish(),
});

/** The usage in Prism's terms (zero where the service did not say). */
export function usageOf(usage: z.infer<typeof UsageSchema> | null | undefined): ProviderUsage {
  const result: ProviderUsage = {
    inputTokens: usage?.prompt_tokens ?? 0,
    outputTokens: usage?.completion_tokens ?? 0,
  };
  const cached = usage?.prompt_tokens_details?.cached_tokens;
  if (typeof cached === 'number') result.cacheReadInputTokens = cached;
  return result;
}

/**
 * The model's call of `request.tool` in a chat completion's body. Throws a {@link ModelError}:
 * `model_answer_invalid` when the answer was cut off at the token limit, stopped by a content
 * filter, calls no tool or another one, or has a tool input that is not JSON (the message quotes
 * the parse error and the input, for a repair round); `model_unavailable` for a body that is not a
 * chat completion.
 */
export function toolAnswerOf(
  body: string,
  request: ToolRequest,
  settings: ServiceSettings,
): ToolAnswer {
  const where = serviceName(settings);
  const parsed = ChatCompletionSchema.safeParse(parseJson(body));
  if (!parsed.success) {
    throw new ModelError(
      'model_unavailable',
      `${where} answered with a body that is not a chat completion.`,
      {
        hint: 'Check that `baseUrl` is an OpenAI-compatible API (e.g. ending in /v1); Prism retries the call.',
      },
    );
  }
  const { choices, usage } = parsed.data;
  const choice = choices[0];
  if (!choice) throw invalid(`${where} answered without a choice.`);
  if (choice.finish_reason === 'length') {
    throw invalid(
      `${where} was cut off at ${request.maxOutputTokens} output tokens before finishing the call of ${request.tool.name}.`,
      'Raise the output token limit, or send a shorter section.',
    );
  }
  if (choice.finish_reason === 'content_filter') {
    throw invalid(
      `${where} had its answer stopped by the service's content filter.`,
      "Review the input, or the service's content filter settings.",
    );
  }
  const { message } = choice;
  const calls = message.tool_calls ?? [];
  const call = calls.find((candidate) => candidate.function.name === request.tool.name) ?? calls[0];
  if (!call) {
    const said = message.refusal ?? message.content ?? '';
    throw invalid(
      `${where} answered without calling ${request.tool.name}${said ? `: ${quote(said)}` : '.'}`,
    );
  }
  if (call.function.name !== request.tool.name) {
    throw invalid(`${where} called ${call.function.name} instead of ${request.tool.name}.`);
  }
  return {
    call: {
      id: call.id ?? 'call_0',
      name: call.function.name,
      input: toolInput(call.function.arguments, where),
    },
    usage: usageOf(usage),
  };
}

/** The tool input from a call's `arguments`: a JSON text, parsed, or already an object. */
function toolInput(args: unknown, where: string): unknown {
  if (typeof args !== 'string') {
    if (typeof args === 'object' && args !== null) return args;
    throw invalid(`${where} called the tool without arguments.`);
  }
  try {
    return JSON.parse(args);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw invalid(`${where} wrote a tool input that is not valid JSON (${reason}): ${quote(args)}`);
  }
}

function invalid(
  message: string,
  hint = "The model's answer could not be read: ask again, or use a model that follows tool schemas more closely.",
): ModelError {
  return new ModelError('model_answer_invalid', message, { hint });
}

function quote(text: string): string {
  return text.length > QUOTE_LIMIT ? `${text.slice(0, QUOTE_LIMIT)}…` : text;
}

/** `text` parsed as JSON, or `undefined` when it is not JSON. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
