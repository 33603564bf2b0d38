import { EventEmitter } from 'eventemitter3';
import { APIError, ConnectionError, TimeoutError } from '../client/errors.js';
import { sleep } from '../client/sleep.js';
import { ReviewFailedError } from '../http/review-failed-error.js';
import type { Finding } from '../schema/findings.js';
import type { Review, ReviewStreamEvent } from '../schema/reviews.js';
import type { CallOptions, ReviewHandle, ReviewHandleEvents } from './types.js';

/** First wait between polls once the event stream is lost, in milliseconds. */
export const POLL_BASE_DELAY_MS = 500;
/** Longest wait between polls, in milliseconds. */
export const POLL_MAX_DELAY_MS = 5_000;

/** What a {@link StreamingReviewHandle} reads the review through (a transport's reviews). */
export interface ReviewSource {
  /** The review's event stream, ending after its last event. */
  events(reviewId: string, options?: CallOptions): AsyncIterable<ReviewStreamEvent>;
  /** The review now. */
  get(reviewId: string, options?: CallOptions): Promise<Review>;
  /** The review's findings, in document order. */
  findings(reviewId: string, options?: CallOptions): AsyncIterable<Finding>;
}

const terminal = new Set<Review['status']>(['succeeded', 'failed', 'canceled']);

/**
 * A running review, on either transport. It follows the review's events (server-sent events over
 * HTTP, the review bus and the store in-process) once a listener is
 * added or `done()` is called, emitting `progress`, `finding`, `completed` and `failed`. When
 * the stream breaks off (a connection error, a timeout, a 5xx or an end before the last event)
 * it polls the review with back-off (0.5 s doubling to 5 s) until it has finished, emitting
 * `progress` when it changes, and on success reads the findings it has not emitted yet (when
 * someone listens to `finding`). It follows the review once: the options of the first `done()`
 * (or none, when a listener started it) apply to the whole follow.
 */
export class StreamingReviewHandle implements ReviewHandle {
  readonly id: string;
  readonly #emitter = new EventEmitter();
  #review: Review;
  readonly #source: ReviewSource;
  readonly #emittedFindings = new Set<string>();
  #outcome: Promise<Review> | undefined;

  constructor(review: Review, source: ReviewSource) {
    this.id = review.id;
    this.#review = review;
    this.#source = source;
  }

  get review(): Review {
    return this.#review;
  }

  on<E extends keyof ReviewHandleEvents>(event: E, listener: ReviewHandleEvents[E]): this {
    this.#emitter.on(event, listener);
    this.#start();
    return this;
  }

  off<E extends keyof ReviewHandleEvents>(event: E, listener: ReviewHandleEvents[E]): this {
    this.#emitter.off(event, listener);
    return this;
  }

  done(options?: CallOptions): Promise<Review> {
    return this.#start(options);
  }

  #start(options?: CallOptions): Promise<Review> {
    if (!this.#outcome) {
      this.#outcome = this.#follow(options);
      // Listeners hear of a failure through `failed`; only `done()` callers get the rejection.
      this.#outcome.catch(() => {});
    }
    return this.#outcome;
  }

  async #follow(options?: CallOptions): Promise<Review> {
    if (terminal.has(this.#review.status)) return this.#finish(this.#review);
    try {
      for await (const event of this.#source.events(this.id, options)) {
        this.#review = event.review;
        if (event.type === 'finding' && event.finding) this.#emitFinding(event.finding);
        else if (event.type === 'progress') this.#emit('progress', event.review);
        else return this.#finish(event.review);
      }
    } catch (error) {
      if (!isStreamLoss(error)) throw error;
    }
    const review = await this.#poll(options);
    if (review.status === 'succeeded' && this.#emitter.listenerCount('finding') > 0) {
      for await (const finding of this.#source.findings(this.id, options)) {
        this.#emitFinding(finding);
      }
    }
    return this.#finish(review);
  }

  #emitFinding(finding: Finding): void {
    if (this.#emittedFindings.has(finding.id)) return;
    this.#emittedFindings.add(finding.id);
    this.#emit('finding', finding);
  }

  async #poll(options?: CallOptions): Promise<Review> {
    for (let attempt = 0; ; attempt += 1) {
      if (attempt > 0) {
        await sleep(
          Math.min(POLL_MAX_DELAY_MS, POLL_BASE_DELAY_MS * 2 ** (attempt - 1)),
          options?.signal,
        );
      }
      const review = await this.#source.get(this.id, options);
      const progressed =
        review.progress.sectionsDone !== this.#review.progress.sectionsDone ||
        review.status !== this.#review.status;
      this.#review = review;
      if (terminal.has(review.status)) return review;
      if (progressed) this.#emit('progress', review);
    }
  }

  #emit<E extends keyof ReviewHandleEvents>(
    event: E,
    ...args: Parameters<ReviewHandleEvents[E]>
  ): void {
    this.#emitter.emit(event, ...args);
  }

  #finish(review: Review): Review {
    this.#review = review;
    if (review.status === 'succeeded') {
      this.#emit('completed', review);
      return review;
    }
    this.#emit('failed', review);
    throw new ReviewFailedError(review);
  }
}

/** Whether an error of the event stream is worth polling after (rather than giving up). */
function isStreamLoss(error: unknown): boolean {
  if (error instanceof ConnectionError || error instanceof TimeoutError) return true;
  return error instanceof APIError && error.status >= 500;
}
