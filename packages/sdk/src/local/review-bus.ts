import { EventEmitter } from 'eventemitter3';
import type { Review, ReviewStreamEvent } from '../schema/reviews.js';

/** The live events of the reviews running in this process, and the switch that cancels each. */
export class ReviewBus {
  readonly #emitter = new EventEmitter<Record<string, (event: ReviewStreamEvent) => void>>();
  readonly #running = new Map<string, { abort: AbortController; settled: Promise<void> }>();
  readonly #ended = new EventEmitter<{ ended: (review: Review) => void }>();

  /** Registers a review that starts running; `settled` resolves when its run has ended. */
  start(reviewId: string, abort: AbortController, settled: Promise<void>): void {
    this.#running.set(reviewId, { abort, settled });
  }

  /** Forgets a review whose run has ended. */
  finish(reviewId: string): void {
    this.#running.delete(reviewId);
  }

  /** Aborts a review running here and waits for its run to end; whether it was running here. */
  async cancel(reviewId: string): Promise<boolean> {
    const run = this.#running.get(reviewId);
    if (!run) return false;
    run.abort.abort();
    await run.settled;
    return true;
  }

  /** Waits for every running review to end. */
  async settle(): Promise<void> {
    await Promise.allSettled([...this.#running.values()].map(({ settled }) => settled));
  }

  /** Tells the review's subscribers about an event (and `onEnded` listeners of its end). */
  emit(reviewId: string, event: ReviewStreamEvent): void {
    this.#emitter.emit(reviewId, event);
    if (event.type === 'completed' || event.type === 'failed' || event.type === 'canceled') {
      this.#ended.emit('ended', event.review);
    }
  }

  /**
   * Listens to every review that ends in this process (succeeded, failed or canceled), whatever
   * its tenant, e.g. for metrics; returns the function that stops listening.
   */
  onEnded(listener: (review: Review) => void): () => void {
    this.#ended.on('ended', listener);
    return () => this.#ended.off('ended', listener);
  }

  /** Listens to a review's events; returns the function that stops listening. */
  subscribe(reviewId: string, listener: (event: ReviewStreamEvent) => void): () => void {
    this.#emitter.on(reviewId, listener);
    return () => this.#emitter.off(reviewId, listener);
  }
}
