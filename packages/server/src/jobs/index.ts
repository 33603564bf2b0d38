export {
  BullJobQueue,
  type BullJobQueueOptions,
  DEFAULT_JOB_KEY_PREFIX,
  REVIEW_QUEUE_NAME,
} from './bull-job-queue.js';
export { JOB_FAILED } from './fail-review.js';
export { type ServerJobs, type ServerJobsOptions, serverJobs } from './server-jobs.js';
export { SqlJobQueue, type SqlJobQueueOptions } from './sql-job-queue.js';
export { type RunningWorker, startWorker, type WorkerOptions } from './start-worker.js';
