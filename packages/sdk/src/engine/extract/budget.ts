import { ExtractionError } from '../errors.js';

/**
 * The moment (in `performance.now()` milliseconds) by which extraction must finish, `budgetMs`
 * from now.
 */
export function startDeadline(budgetMs: number): number {
  return performance.now() + budgetMs;
}

/**
 * Throws `time_budget_exceeded` when `deadline` has passed.
 *
 * @throws {ExtractionError} `time_budget_exceeded`.
 */
export function checkDeadline(deadline: number): void {
  if (performance.now() > deadline) throw timeBudgetExceeded();
}

/**
 * Waits for `work`, but rejects with `time_budget_exceeded` as soon as `deadline` passes, so
 * a slow asynchronous step cannot hold extraction past its budget.
 *
 * @throws {ExtractionError} `time_budget_exceeded`.
 */
export async function beforeDeadline<T>(work: Promise<T>, deadline: number): Promise<T> {
  checkDeadline(deadline);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expiry = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(timeBudgetExceeded()), deadline - performance.now());
  });
  try {
    return await Promise.race([work, expiry]);
  } finally {
    clearTimeout(timer);
  }
}

function timeBudgetExceeded(): ExtractionError {
  return new ExtractionError(
    'time_budget_exceeded',
    'Reading the document took longer than its time budget.',
    { hint: 'Split the document into smaller files, or raise the timeBudgetMs limit.' },
  );
}
