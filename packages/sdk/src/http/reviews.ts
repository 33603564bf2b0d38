import { StreamingReviewHandle } from '../api/review-handle.js';
import type {
  CallOptions,
  ListParams,
  PostOptions,
  ReviewHandle,
  ReviewsApi,
} from '../api/types.js';
import { ConnectionError } from '../client/errors.js';
import type { PagePromise } from '../client/pagination.js';
import type { HttpTransport } from '../client/transport.js';
import {
  type Review,
  type ReviewCreate,
  ReviewListSchema,
  ReviewSchema,
  type ReviewStatus,
  type ReviewStreamEvent,
  ReviewStreamEventSchema,
} from '../schema/reviews.js';
import { eventStream } from './event-stream.js';
import { HttpFindings } from './findings.js';
import { pathOf, send, transportOptions } from './request.js';

/** How often a review's event stream that breaks off is resumed before `events()` fails. */
export const MAX_STREAM_RESUMES = 2;

/** The stream types after which a review's event stream ends. */
const lastEventTypes = new Set<ReviewStreamEvent['type']>(['completed', 'failed', 'canceled']);

/** `prism.reviews` over HTTP; `create` returns a handle that follows the review's events. */
export class HttpReviews implements ReviewsApi {
  readonly #transport: HttpTransport;
  readonly #findings: HttpFindings;

  constructor(transport: HttpTransport) {
    this.#transport = transport;
    this.#findings = new HttpFindings(transport);
  }

  async create(params: ReviewCreate, options?: PostOptions): Promise<ReviewHandle> {
    const review = await send(this.#transport, {
      method: 'POST',
      path: '/v2/reviews',
      body: params,
      schema: ReviewSchema,
      ...transportOptions(options),
    });
    return new StreamingReviewHandle(review, {
      events: (id, call) => this.events(id, call),
      get: (id, call) => this.get(id, call),
      findings: (id, call) => this.#findings.list(id, { limit: 100 }, call),
    });
  }

  list(
    params: ListParams & { documentId?: string; status?: ReviewStatus } = {},
    options?: CallOptions,
  ): PagePromise<Review> {
    const { limit, cursor, ...query } = params;
    return this.#transport.list({
      path: '/v2/reviews',
      query,
      limit,
      cursor,
      schema: ReviewListSchema,
      ...transportOptions(options),
    });
  }

  get(reviewId: string, options?: CallOptions): Promise<Review> {
    return send(this.#transport, {
      method: 'GET',
      path: pathOf`/v2/reviews/${reviewId}`,
      schema: ReviewSchema,
      ...transportOptions(options),
    });
  }

  cancel(reviewId: string, options?: PostOptions): Promise<Review> {
    return send(this.#transport, {
      method: 'POST',
      path: pathOf`/v2/reviews/${reviewId}/cancel`,
      schema: ReviewSchema,
      ...transportOptions(options),
    });
  }

  /**
   * The review's events, ending after `completed`, `failed` or `canceled`. A stream that breaks
   * off or ends early is resumed from the last event id (`Last-Event-ID`) up to
   * {@link MAX_STREAM_RESUMES} times, then fails with a `ConnectionError`.
   */
  async *events(reviewId: string, options?: CallOptions): AsyncGenerator<ReviewStreamEvent> {
    let lastEventId = '';
    for (let resumes = 0; ; resumes += 1) {
      const events = eventStream(this.#transport, {
        method: 'GET',
        path: pathOf`/v2/reviews/${reviewId}/events`,
        headers: lastEventId ? { 'last-event-id': lastEventId } : undefined,
        schema: ReviewStreamEventSchema,
        ...transportOptions(options),
      });
      let broken: unknown;
      try {
        for await (const { id, data } of events) {
          lastEventId = id || lastEventId;
          yield data;
          if (lastEventTypes.has(data.type)) return;
        }
      } catch (error) {
        if (!(error instanceof ConnectionError)) throw error;
        broken = error;
      }
      if (resumes >= MAX_STREAM_RESUMES) {
        throw new ConnectionError(
          `The event stream of review ${reviewId} ended before the review finished (${resumes + 1} attempts).`,
          { cause: broken },
        );
      }
    }
  }
}
