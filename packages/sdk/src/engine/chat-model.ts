import { PrismError } from '../errors.js';
import type { ChatAnswer, ChatMessage } from '../schema/chat.js';
import type { Usage } from '../schema/common.js';
import type { Section } from '../schema/documents.js';
import { citationsOf } from './chat-model-citations.js';
import { CitationMarkers } from './chat-model-markers.js';
import {
  type ChatPromptLimits,
  chatPrompt,
  DEFAULT_CHAT_PROMPT_LIMITS,
} from './chat-model-prompt.js';
import type { ModelClient } from './providers/model/model-client.js';
import { ModelError } from './providers/model/model-error.js';
import type { ProviderUsage } from './types.js';
import { DEFAULT_PRICES, estimateCost, type PriceTable } from './usage/cost.js';

/** Most tokens a model's answer may use unless told otherwise. */
export const DEFAULT_CHAT_OUTPUT_TOKENS = 1024;

/** One event of a model's streamed answer: a piece of its text, or at the end the whole answer. */
export type ModelAnswerEvent =
  | { type: 'delta'; text: string }
  | { type: 'done'; answer: ChatAnswer };

/** What {@link streamModelAnswer} takes besides the model, the document and the question. */
export interface ModelAnswerOptions {
  /** The conversation so far, oldest first. */
  history?: readonly ChatMessage[];
  /** The document's title, shown to the model. */
  title?: string | null;
  /** Prices of model tokens, for the answer's `costUsd`. Default `DEFAULT_PRICES`. */
  prices?: Readonly<PriceTable>;
  /** Most tokens the answer may use (default {@link DEFAULT_CHAT_OUTPUT_TOKENS}). */
  maxOutputTokens?: number;
  /** How many passages and earlier messages the prompt carries (see `DEFAULT_CHAT_PROMPT_LIMITS`). */
  limits?: Partial<ChatPromptLimits>;
  /** Stops the answer: the stream ends by throwing the signal's reason. */
  signal?: AbortSignal;
}

/**
 * Answers a question about a document with a model, streamed: `delta` events as the model's
 * text arrives, then one `done` with the whole answer.
 *
 * The model is shown the document, or when it is long the passages that best match the
 * question (see `chatPrompt`: at most 60 passages and 12,000 characters of them by default),
 * under section markers `[S<index>]`, after the last 10 messages of `history`. It is told to
 * answer only from the passages, to cite each statement's sections with their markers, and to
 * say so when the passages hold no answer.
 *
 * Markers stay in the answer as `[S<n>]`, n being the cited section's `index`, so a reader can
 * place each citation; a marker naming a section the model was not shown is taken out (see
 * {@link CitationMarkers}). The deltas put together are the answer. `citations` hold one entry
 * per cited section and quote: the shown passage of that section closest to the sentence the
 * marker ends, quoted exactly. `model` is the client's id; `usage` is the model's, with
 * `costUsd` from `prices` (null when the model has no price).
 *
 * @throws {PrismError} `invalid_argument` for an empty question, one over 4,000 characters, or
 *   a limit or `maxOutputTokens` that is not a positive whole number.
 * @throws {ModelError} when the model call fails, or `model_answer_invalid` when the model
 *   answers with no text (possibly after some `delta` events).
 */
export async function* streamModelAnswer(
  client: ModelClient,
  sections: readonly Section[],
  question: string,
  options: ModelAnswerOptions = {},
): AsyncGenerator<ModelAnswerEvent> {
  const maxOutputTokens = checkOutputTokens(options.maxOutputTokens ?? DEFAULT_CHAT_OUTPUT_TOKENS);
  const { signal } = options;
  const prompt = chatPrompt(sections, question, {
    history: options.history ?? [],
    title: options.title ?? null,
    limits: { ...DEFAULT_CHAT_PROMPT_LIMITS, ...options.limits },
  });
  const markers = new CitationMarkers(new Set(prompt.passages.map(({ section }) => section.index)));
  let usage: ProviderUsage = { inputTokens: 0, outputTokens: 0 };
  signal?.throwIfAborted();
  const events = client.streamText({
    system: prompt.system,
    messages: prompt.messages,
    maxOutputTokens,
    ...(signal === undefined ? {} : { signal }),
  });
  for await (const event of events) {
    signal?.throwIfAborted();
    if (event.type === 'usage') {
      usage = event.usage;
      continue;
    }
    const text = markers.push(event.text);
    if (text !== '') yield { type: 'delta', text };
  }
  const rest = markers.end();
  if (rest !== '') yield { type: 'delta', text: rest };
  if (markers.text.trim() === '') {
    throw new ModelError(
      'model_answer_invalid',
      `${client.id} answered the question with no text.`,
      {
        hint: 'Ask again, or configure another chat model; Prism answers from the document itself meanwhile.',
      },
    );
  }
  yield {
    type: 'done',
    answer: {
      answer: markers.text,
      citations: citationsOf(markers.text, markers.cited, prompt.passages),
      model: client.id,
      usage: answerUsage(usage, client.id, options.prices ?? DEFAULT_PRICES),
    },
  };
}

function checkOutputTokens(value: number): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new PrismError(
      'invalid_argument',
      `maxOutputTokens must be a positive whole number; got ${value}.`,
      {
        hint: `Pass a maxOutputTokens of 1 or more, or leave it out for ${DEFAULT_CHAT_OUTPUT_TOKENS}.`,
      },
    );
  }
  return value;
}

function answerUsage(usage: ProviderUsage, modelId: string, prices: Readonly<PriceTable>): Usage {
  return {
    inputTokens: usage.inputTokens,
    outputTokens: usage.outputTokens,
    costUsd: estimateCost(usage, modelId, prices).usd,
    ...(usage.cacheReadInputTokens === undefined
      ? {}
      : { cacheReadInputTokens: usage.cacheReadInputTokens }),
    ...(usage.cacheWriteInputTokens === undefined
      ? {}
      : { cacheWriteInputTokens: usage.cacheWriteInputTokens }),
  };
}
