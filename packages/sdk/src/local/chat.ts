import type { ChatApi, PostOptions } from '../api/types.js';
import { answerFromSections } from '../engine/chat.js';
import { streamModelAnswer } from '../engine/chat-model.js';
import { ModelError } from '../engine/providers/model/model-error.js';
import {
  type ChatAnswer,
  type ChatRequest,
  ChatRequestSchema,
  type ChatStreamEvent,
  type Document,
} from '../schema/index.js';
import type { LocalContext } from './context.js';
import { notFound, type Operation } from './problems.js';
import { parseInput } from './validate.js';

const OPERATION: Operation = { method: 'POST', path: '/v2/chat' };

/** A piece of an answer's text. */
type Delta = { type: 'delta'; text: string };

/**
 * `prism.chat` in-process. With a chat model configured, the model answers from the passages of
 * the document that best match the question, citing sections with `[S<n>]` markers, and its
 * text streams as it is written. Without one, or when the model call fails (a `ModelError`),
 * the answer is the document's own best-matching sentences, each cited by section, with no
 * cost; such an answer's `model` is `rules`.
 */
export class LocalChat implements ChatApi {
  readonly #context: LocalContext;

  constructor(context: LocalContext) {
    this.#context = context;
  }

  /** The whole answer: what {@link LocalChat.stream} ends with. */
  async ask(params: ChatRequest, options?: PostOptions): Promise<ChatAnswer> {
    const written = this.#write(params, options?.signal);
    let next = await written.next();
    while (!next.done) next = await written.next();
    return next.value;
  }

  /**
   * The answer as it is written (`delta` events), then `done` with the whole answer. A model's
   * text streams as the model writes it; an extractive answer comes sentence by sentence. When
   * the model fails before writing anything, the stream is the extractive one; when it fails
   * part-way, `done` carries the extractive answer, which replaces the text streamed so far.
   * Aborting `options.signal` stops the model and ends the stream with the signal's reason.
   */
  async *stream(params: ChatRequest, options?: PostOptions): AsyncGenerator<ChatStreamEvent> {
    const answer = yield* this.#write(params, options?.signal);
    yield { type: 'done', answer };
  }

  /** The answer's text as it is written (`delta` events); returns the whole answer. */
  async *#write(
    params: ChatRequest,
    signal: AbortSignal | undefined,
  ): AsyncGenerator<Delta, ChatAnswer> {
    const input = parseInput(OPERATION, ChatRequestSchema, params);
    const document = await this.#document(input);
    const model = this.#context.core.chatModel;
    let streamed = false;
    if (model !== undefined) {
      const events = streamModelAnswer(model, document.sections, input.question, {
        history: input.history ?? [],
        title: document.title,
        prices: this.#context.prices,
        ...(signal === undefined ? {} : { signal }),
      });
      try {
        for await (const event of events) {
          if (event.type === 'done') return event.answer;
          streamed = true;
          yield event;
        }
      } catch (error) {
        if (!(error instanceof ModelError) || signal?.aborted) throw error;
      }
    }
    // No model, or the model gave no answer: the document's own sentences.
    const answer = extractiveAnswer(document, input);
    if (!streamed) {
      for (const sentence of answer.answer.split(/(?<=[.!?]\s)/)) {
        yield { type: 'delta', text: sentence };
      }
    }
    return answer;
  }

  async #document(input: ChatRequest): Promise<Document> {
    const { store, tenantId } = this.#context;
    let documentId = input.documentId;
    if (input.reviewId !== undefined) {
      const review = await store.reviews.get(tenantId, input.reviewId);
      if (!review) throw notFound(OPERATION, 'review', input.reviewId);
      documentId = review.documentId;
    }
    const document =
      documentId === undefined ? undefined : await store.documents.get(tenantId, documentId);
    if (!document) throw notFound(OPERATION, 'document', documentId ?? '');
    return document;
  }
}

/** The document's own best-matching sentences, cited, at no cost. */
function extractiveAnswer(document: Document, input: ChatRequest): ChatAnswer {
  const { answer, citations } = answerFromSections(document.sections, input.question, {
    history: input.history ?? [],
  });
  return {
    answer,
    citations,
    model: 'rules',
    usage: { inputTokens: 0, outputTokens: 0, costUsd: 0 },
  };
}
