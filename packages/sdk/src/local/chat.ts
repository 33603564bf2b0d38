import type { ChatApi, PostOptions } from '../api/types.js';
import { answerFromSections } from '../engine/chat.js';
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

/**
 * `prism.chat` in-process: answers from the document itself — its best-matching sentences, each
 * cited by section — with no model and no cost.
 */
export class LocalChat implements ChatApi {
  readonly #context: LocalContext;

  constructor(context: LocalContext) {
    this.#context = context;
  }

  async ask(params: ChatRequest, _options?: PostOptions): Promise<ChatAnswer> {
    const operation: Operation = { method: 'POST', path: '/v2/chat' };
    const input = parseInput(operation, ChatRequestSchema, params);
    const document = await this.#document(operation, input);
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

  /** The answer sentence by sentence (`delta` events), then `done` with the whole answer. */
  async *stream(params: ChatRequest, options?: PostOptions): AsyncGenerator<ChatStreamEvent> {
    const answer = await this.ask(params, options);
    for (const sentence of answer.answer.split(/(?<=[.!?]\s)/)) {
      yield { type: 'delta', text: sentence };
    }
    yield { type: 'done', answer };
  }

  async #document(operation: Operation, input: ChatRequest): Promise<Document> {
    const { store, tenantId } = this.#context;
    let documentId = input.documentId;
    if (input.reviewId !== undefined) {
      const review = await store.reviews.get(tenantId, input.reviewId);
      if (!review) throw notFound(operation, 'review', input.reviewId);
      documentId = review.documentId;
    }
    const document =
      documentId === undefined ? undefined : await store.documents.get(tenantId, documentId);
    if (!document) throw notFound(operation, 'document', documentId ?? '');
    return document;
  }
}
