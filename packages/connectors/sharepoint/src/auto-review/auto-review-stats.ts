import type { LifecycleEvent, RejectionReason } from '../watch/notifications.js';

/** Why a changed file was not sent for review. */
export type SkipReason =
  /** A reviewed copy Prism uploaded (named `… (Prism review).docx`). */
  | 'reviewed_copy'
  /** Outside the watched folder, or of a file type the watch does not review. */
  | 'out_of_scope'
  /** In a format Prism does not read. */
  | 'unsupported_format'
  /** In a legacy format (.doc, .rtf, .odt…): saved as .docx it would be reviewed. */
  | 'legacy_format'
  /** Over the size limit. */
  | 'file_too_large'
  /** Deleted or moved away before it could be read. */
  | 'item_not_found'
  /** A folder or a notebook, not a file. */
  | 'not_a_file'
  /** Graph gave no content tag, so its version cannot be told. */
  | 'no_content_version'
  /** This content was reviewed before (only fields, name or place changed, or a rerun). */
  | 'already_reviewed'
  /**
   * Another instance is reviewing this version (it claimed it after this run found it new); the
   * run's position is not saved past it, so it is read again should that review fail.
   */
  | 'claimed_elsewhere'
  /** Prism could not read the file (corrupt, or not what its name says). */
  | 'document_rejected';

/** What the auto-reviewer has done since it started. */
export interface AutoReviewStats {
  /** Notifications received (each item of each posted collection). */
  notifications: number;
  /** Notifications ignored, by reason: `client_state_mismatch` means someone else posted them. */
  rejected: Record<RejectionReason, number>;
  /** Lifecycle events acted on, by event. */
  lifecycle: Record<LifecycleEvent, number>;
  /** Watch runs that finished. */
  runs: number;
  /** Watch runs that failed (their delta link was left where it was). */
  failedRuns: number;
  /** Reviews started. */
  reviewsStarted: number;
  /** Deleted items the drives reported. */
  deletions: number;
  /** Changed files not sent for review, by reason. */
  skipped: Record<SkipReason, number>;
  /** Background tasks (runs, renewals) that failed. */
  backgroundFailures: number;
}

/** The running counts behind {@link AutoReviewStats}. */
export class AutoReviewCounters {
  readonly #stats: AutoReviewStats = {
    notifications: 0,
    rejected: {
      malformed: 0,
      unknown_subscription: 0,
      client_state_mismatch: 0,
      unsupported_lifecycle_event: 0,
    },
    lifecycle: { reauthorizationRequired: 0, subscriptionRemoved: 0, missed: 0 },
    runs: 0,
    failedRuns: 0,
    reviewsStarted: 0,
    deletions: 0,
    skipped: {
      reviewed_copy: 0,
      out_of_scope: 0,
      unsupported_format: 0,
      legacy_format: 0,
      file_too_large: 0,
      item_not_found: 0,
      not_a_file: 0,
      no_content_version: 0,
      already_reviewed: 0,
      claimed_elsewhere: 0,
      document_rejected: 0,
    },
    backgroundFailures: 0,
  };

  /** Counts one more of a plain count. */
  add(
    key:
      | 'notifications'
      | 'runs'
      | 'failedRuns'
      | 'reviewsStarted'
      | 'deletions'
      | 'backgroundFailures',
    amount = 1,
  ): void {
    this.#stats[key] += amount;
  }

  /** Counts an ignored notification. */
  rejected(reason: RejectionReason): void {
    this.#stats.rejected[reason] += 1;
  }

  /** Counts a lifecycle event. */
  lifecycle(event: LifecycleEvent): void {
    this.#stats.lifecycle[event] += 1;
  }

  /** Counts a skipped file. */
  skipped(reason: SkipReason): void {
    this.#stats.skipped[reason] += 1;
  }

  /** A copy of the counts. */
  snapshot(): AutoReviewStats {
    const stats = this.#stats;
    return {
      ...stats,
      rejected: { ...stats.rejected },
      lifecycle: { ...stats.lifecycle },
      skipped: { ...stats.skipped },
    };
  }
}
