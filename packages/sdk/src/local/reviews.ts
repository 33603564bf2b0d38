import { StreamingReviewHandle } from '../api/review-handle.js';
import type {
  CallOptions,
  ListParams,
  PostOptions,
  ReviewHandle,
  ReviewsApi,
} from '../api/types.js';
import type { PagePromise } from '../client/pagination.js';
import {
  type Framework,
  type Review,
  type ReviewCreate,
  ReviewCreateSchema,
  type ReviewStatus,
  type ReviewStreamEvent,
} from '../schema/index.js';
import type { LocalContext } from './context.js';
import { findFramework } from './frameworks.js';
import { allRows, tablePages } from './paging.js';
import { conflict, notFound, type Operation, problem } from './problems.js';
import { toFinding } from './rows.js';
import { parseInput } from './validate.js';

const TERMINAL = new Set<ReviewStatus>(['succeeded', 'failed', 'canceled']);

/** How often `events()` reads a review that is not running in this process, in milliseconds. */
export const EVENTS_POLL_MS = 1_000;

/**
 * `prism.reviews` in-process: a review runs on the engine as soon as it is created; its handle
 * and `events()` follow it live, and replay a finished review's findings and end.
 */
export class LocalReviews implements ReviewsApi {
  readonly #context: LocalContext;

  constructor(context: LocalContext) {
    this.#context = context;
  }

  async create(params: ReviewCreate, _options?: PostOptions): Promise<ReviewHandle> {
    const operation: Operation = { method: 'POST', path: '/v2/reviews' };
    const input = parseInput(operation, ReviewCreateSchema, params);
    const context = this.#context;
    const document = await context.store.documents.get(context.tenantId, input.documentId);
    if (!document) throw notFound(operation, 'document', input.documentId);
    const framework = await this.#framework(operation, input.framework);
    const provider = context.providerFor(input.model);
    if (!provider) {
      throw problem(
        operation,
        422,
        'unknown_model',
        `There is no model "${input.model}" here; this Prism reviews with ${context.provider.id}.`,
        'Leave `model` out, or configure the provider when creating Prism.local({ model }).',
        [{ path: '/model', message: 'unknown model' }],
      );
    }
    const review: Review = {
      id: context.newId('rev'),
      tenantId: context.tenantId,
      documentId: document.id,
      framework: { id: framework.id, version: framework.version },
      model: provider.id,
      ...(provider.promptVersion === undefined ? {} : { promptVersion: provider.promptVersion }),
      status: 'queued',
      progress: { sectionsDone: 0, sectionsTotal: document.sections.length },
      usage: { inputTokens: 0, outputTokens: 0, costUsd: 0 },
      summary: null,
      error: null,
      metadata: input.metadata ?? {},
      createdAt: context.timestamp(),
      startedAt: null,
      completedAt: null,
    };
    await context.store.reviews.insert(review);
    await context.audit(
      'review.created',
      { type: 'review', id: review.id },
      {
        documentId: document.id,
        framework: `${framework.id}@${framework.version}`,
        model: provider.id,
      },
    );
    await context.core.jobs.enqueueReview({ tenantId: context.tenantId, reviewId: review.id });
    return new StreamingReviewHandle(review, {
      events: (id, call) => this.events(id, call),
      get: (id, call) => this.get(id, call),
      findings: async function* (id) {
        const rows = await allRows(context.store.findings, context.tenantId, { reviewId: id });
        yield* rows.map(toFinding);
      },
    });
  }

  list(
    params: ListParams & { documentId?: string; status?: ReviewStatus } = {},
    _options?: CallOptions,
  ): PagePromise<Review> {
    const { documentId, status } = params;
    return tablePages(
      { method: 'GET', path: '/v2/reviews' },
      this.#context.store.reviews,
      this.#context.tenantId,
      params,
      { where: { documentId, status } },
      (review) => review,
    );
  }

  async get(reviewId: string, _options?: CallOptions): Promise<Review> {
    return this.#review({ method: 'GET', path: `/v2/reviews/${reviewId}` }, reviewId);
  }

  async cancel(reviewId: string, _options?: PostOptions): Promise<Review> {
    const operation: Operation = { method: 'POST', path: `/v2/reviews/${reviewId}/cancel` };
    const context = this.#context;
    const review = await this.#review(operation, reviewId);
    if (TERMINAL.has(review.status)) {
      throw conflict(
        operation,
        'review_finished',
        `Review ${reviewId} has already ${review.status === 'canceled' ? 'been canceled' : review.status}.`,
        'Only queued or running reviews can be canceled.',
      );
    }
    await context.audit('review.canceled', { type: 'review', id: reviewId });
    if (await context.reviewBus.cancel(reviewId)) return this.#review(operation, reviewId);
    // Not running in this process (still queued, or running elsewhere): the store says so, and
    // a run that starts or goes on elsewhere sees it and stops.
    const canceled = await context.store.reviews.update(context.tenantId, reviewId, (current) =>
      TERMINAL.has(current.status)
        ? current
        : { ...current, status: 'canceled', completedAt: context.timestamp() },
    );
    if (canceled?.status === 'canceled') {
      context.reviewBus.emit(reviewId, { type: 'canceled', review: canceled });
    }
    return canceled ?? review;
  }

  /**
   * The review's events: its current state first, then what happens to it until it ends. A
   * review running in this process is followed live; one queued or running elsewhere (another
   * server, a worker) is followed through the store, read every {@link EVENTS_POLL_MS}.
   */
  async *events(reviewId: string, _options?: CallOptions): AsyncGenerator<ReviewStreamEvent> {
    const context = this.#context;
    const operation: Operation = { method: 'GET', path: `/v2/reviews/${reviewId}/events` };
    const queue: ReviewStreamEvent[] = [];
    let wake: (() => void) | undefined;
    const unsubscribe = context.reviewBus.subscribe(reviewId, (event) => {
      queue.push(event);
      wake?.();
    });
    try {
      let seen = await this.#review(operation, reviewId);
      if (TERMINAL.has(seen.status)) {
        yield* this.#replay(seen);
        return;
      }
      yield { type: 'progress', review: seen };
      for (;;) {
        const event = queue.shift();
        if (event) {
          seen = event.review;
          yield event;
          if (TERMINAL.has(event.review.status) && event.type !== 'finding') return;
          continue;
        }
        await new Promise<void>((resolve) => {
          wake = resolve;
          setTimeout(resolve, EVENTS_POLL_MS).unref?.();
        });
        if (queue.length > 0) continue;
        const stored = await this.#review(operation, reviewId);
        if (TERMINAL.has(stored.status)) {
          yield* this.#replay(stored);
          return;
        }
        if (
          stored.status !== seen.status ||
          stored.progress.sectionsDone !== seen.progress.sectionsDone
        ) {
          seen = stored;
          yield { type: 'progress', review: stored };
        }
      }
    } finally {
      unsubscribe();
    }
  }

  /** A finished review's events: its findings, then how it ended. */
  async *#replay(review: Review): AsyncGenerator<ReviewStreamEvent> {
    if (review.status === 'succeeded') {
      const rows = await allRows(this.#context.store.findings, this.#context.tenantId, {
        reviewId: review.id,
      });
      for (const row of rows) yield { type: 'finding', review, finding: toFinding(row) };
      yield { type: 'completed', review };
    } else {
      yield { type: review.status === 'canceled' ? 'canceled' : 'failed', review };
    }
  }

  async #review(operation: Operation, reviewId: string): Promise<Review> {
    const review = await this.#context.store.reviews.get(this.#context.tenantId, reviewId);
    if (!review) throw notFound(operation, 'review', reviewId);
    return review;
  }

  async #framework(operation: Operation, reference: string | undefined): Promise<Framework> {
    if (reference === undefined) return this.#context.framework;
    const [id = '', version] = reference.split('@');
    const framework = await findFramework(this.#context, id, version);
    if (framework) return framework;
    throw problem(
      operation,
      422,
      'unknown_framework',
      `There is no framework ${reference}.`,
      'Use the id of a framework that `prism.frameworks.list()` returns, optionally with @version.',
      [{ path: '/framework', message: 'unknown framework' }],
    );
  }
}
