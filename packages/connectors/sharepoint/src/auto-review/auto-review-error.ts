import { PrismError, type PrismErrorOptions } from '@prism/sdk';

/** The stable codes of an {@link AutoReviewError}. */
export type AutoReviewErrorCode =
  | 'watch_not_found'
  | 'delta_resync_loop'
  | 'invalid_auto_review_option';

/**
 * The auto-review loop could not go ahead for a reason of its own (not a Graph or Prism
 * failure): a watch that is not in the store, Graph asking again and again to start over, or a
 * bad option.
 */
export class AutoReviewError extends PrismError {
  declare readonly code: AutoReviewErrorCode;

  constructor(
    code: AutoReviewErrorCode,
    message: string,
    options: PrismErrorOptions & { hint: string },
  ) {
    super(code, message, options);
  }
}
