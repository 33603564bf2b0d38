import type { WatchRunOutcome } from '@prism/connector-sharepoint';
import { PrismError, type Table, type Watch, type WatchError } from '@prism/sdk';

/**
 * Records how a run of a watch ended on the watch itself, as `GET /v2/watches` shows it: after
 * a run that read the changes, `active`, `lastRunAt` now and no `lastError`; after a failed one,
 * `error` and why (`lastError`), `lastRunAt` left as it was. A watch gone meanwhile is left
 * alone; a paused one keeps its status.
 */
export async function recordWatchRun(
  watches: Table<Watch>,
  watch: { tenantId: string; id: string },
  outcome: WatchRunOutcome,
  now: Date,
): Promise<void> {
  const at = now.toISOString();
  await watches.update(watch.tenantId, watch.id, (current) => {
    const status = current.status === 'paused' ? 'paused' : outcome.ok ? 'active' : 'error';
    return outcome.ok
      ? { ...current, status, lastRunAt: at, lastError: null }
      : { ...current, status, lastError: watchErrorOf(outcome.error, at) };
  });
}

/** A run's failure as a watch shows it: Prism's code, message and hint, or a generic code. */
function watchErrorOf(error: unknown, at: string): WatchError {
  if (error instanceof PrismError) {
    return {
      code: error.code,
      message: error.message,
      ...(error.hint === undefined ? {} : { hint: error.hint }),
      at,
    };
  }
  return {
    code: 'watch_run_failed',
    message: error instanceof Error ? error.message : String(error),
    hint: 'The next notification or sweep tries again; if it keeps failing, check the server log.',
    at,
  };
}
