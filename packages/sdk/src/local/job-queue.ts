import type { ReviewJob } from './review-job.js';

/** Runs one review job to its end (see `runReviewJob`); rejects only when the store fails. */
export type ReviewJobRunner = (job: ReviewJob) => Promise<void>;

/**
 * Where reviews wait to run. `Prism.local()` runs them at once in this process
 * ({@link InProcessJobQueue}); a server keeps them in its database or in Redis, so they survive
 * a restart and can run on other machines. A queue is made with the runner of its service.
 */
export interface JobQueue {
  /** Queues a stored review to run; resolves once it is queued (durably, where it can be). */
  enqueueReview(job: ReviewJob): Promise<void>;
  /** Waits for the jobs this process has started to finish. */
  settle(): Promise<void>;
}

/** Makes the job queue of a service, given how to run a review job. */
export type JobQueueFactory = (run: ReviewJobRunner) => JobQueue;

/** Runs each review at once in this process: nothing survives the process. */
export class InProcessJobQueue implements JobQueue {
  readonly #run: ReviewJobRunner;
  readonly #running = new Set<Promise<void>>();

  constructor(run: ReviewJobRunner) {
    this.#run = run;
  }

  async enqueueReview(job: ReviewJob): Promise<void> {
    const running: Promise<void> = this.#run(job)
      // A store that fails leaves the review as it was; a durable queue would retry it.
      .catch(() => undefined)
      .finally(() => this.#running.delete(running));
    this.#running.add(running);
  }

  async settle(): Promise<void> {
    while (this.#running.size > 0) await Promise.allSettled([...this.#running]);
  }
}
