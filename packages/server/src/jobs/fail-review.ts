import type { ReviewJob, Store } from '@prism/sdk';

const TERMINAL = new Set(['succeeded', 'failed', 'canceled']);

/** The error code of a review whose job was given up after its last attempt. */
export const JOB_FAILED = 'job_failed';

/**
 * Marks the review of a job that will not be tried again as `failed` with the error code
 * `job_failed` and `reason` in its message, unless it has already ended. Rejects when the store
 * fails (the job is then given up later, on its next claim).
 */
export async function failReviewOfDeadJob(
  store: Store,
  job: ReviewJob,
  reason: string,
): Promise<void> {
  await store.reviews.update(job.tenantId, job.reviewId, (current) =>
    TERMINAL.has(current.status)
      ? current
      : {
          ...current,
          status: 'failed',
          error: { code: JOB_FAILED, message: `The review could not be run: ${reason}` },
          completedAt: new Date().toISOString(),
        },
  );
}

/** The message of what a job's run rejected with. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
