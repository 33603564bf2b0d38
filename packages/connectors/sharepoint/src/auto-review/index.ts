export { AutoReviewError, type AutoReviewErrorCode } from './auto-review-error.js';
export type { AutoReviewStats, SkipReason } from './auto-review-stats.js';
export {
  AutoReviewer,
  DEFAULT_RENEWAL_MARGIN_MS,
  type NotificationReply,
  type NotificationRequest,
} from './auto-reviewer.js';
export { MemoryWatchStore } from './memory-watch-store.js';
export type { AutoReviewerOptions, BackgroundTask, WatchRunOutcome } from './options.js';
export { readReviewMetadata, type WatchedReviewMetadata } from './review-metadata.js';
export type { WatchRunResult } from './run-watch.js';
export type { SharePointWatch, WatchSubscription } from './sharepoint-watch.js';
export type { SkippedFile } from './skipped-file.js';
export type { StartedReview } from './start-review.js';
export type { SubscriptionOutcome } from './subscription-upkeep.js';
export type { WatchStore } from './watch-store.js';
export { reviewUrl, type WriteBackOutcome } from './write-back.js';
