import { PrismError } from '../errors.js';
import type { Review } from '../schema/reviews.js';

/**
 * A review that ended without succeeding: `code` is the review's `error.code` when it failed
 * (`review_failed` when it gave none) or `review_canceled` when it was canceled; `review` is the
 * review as it ended.
 */
export class ReviewFailedError extends PrismError {
  /** The review as it ended. */
  readonly review: Review;

  constructor(review: Review) {
    const canceled = review.status === 'canceled';
    const code = canceled ? 'review_canceled' : (review.error?.code ?? 'review_failed');
    const why = canceled ? 'was canceled' : `failed: ${review.error?.message ?? 'no reason given'}`;
    super(code, `Review ${review.id} ${why}.`, {
      hint: canceled
        ? 'Start a new review of the document to review it completely.'
        : 'Check the error code; start a new review once the cause is fixed.',
    });
    this.review = review;
  }
}
