import type { AutoReviewStats } from '@prism/connector-sharepoint';
import { Counter, type Registry } from 'prom-client';

/**
 * Registers the counters of SharePoint auto-review, read from `stats` at each scrape (the
 * auto-reviewer counts; these only show its counts):
 *
 * - `prism_sharepoint_notifications_total`: Graph notifications received;
 * - `prism_sharepoint_notifications_rejected_total` by `reason` (`client_state_mismatch`: not
 *   from Graph; `unknown_subscription`, `malformed`, `unsupported_lifecycle_event`);
 * - `prism_sharepoint_lifecycle_events_total` by `event`;
 * - `prism_sharepoint_runs_total` by `outcome` (`succeeded`, `failed`): delta runs of watches;
 * - `prism_sharepoint_reviews_started_total`, and `prism_sharepoint_files_skipped_total` by
 *   `reason`;
 * - `prism_sharepoint_background_failures_total`: runs, renewals and reads of notifications
 *   that failed in the background.
 */
export function registerSharePointMetrics(registry: Registry, stats: () => AutoReviewStats): void {
  const counter = <Label extends string>(
    name: string,
    help: string,
    labelNames: readonly Label[],
    values: (current: AutoReviewStats) => Array<[Partial<Record<Label, string>>, number]>,
  ) =>
    new Counter<Label>({
      name,
      help,
      labelNames,
      registers: [registry],
      collect() {
        this.reset();
        for (const [labels, value] of values(stats())) this.inc(labels, value);
      },
    });
  counter(
    'prism_sharepoint_notifications_total',
    'Graph change and lifecycle notifications received.',
    [],
    (s) => [[{}, s.notifications]],
  );
  counter(
    'prism_sharepoint_notifications_rejected_total',
    'Graph notifications ignored, by reason (client_state_mismatch: not sent by Graph).',
    ['reason'],
    (s) => Object.entries(s.rejected).map(([reason, value]) => [{ reason }, value]),
  );
  counter(
    'prism_sharepoint_lifecycle_events_total',
    'Graph lifecycle notifications acted on, by event.',
    ['event'],
    (s) => Object.entries(s.lifecycle).map(([event, value]) => [{ event }, value]),
  );
  counter(
    'prism_sharepoint_runs_total',
    'Delta runs of SharePoint watches, by outcome.',
    ['outcome'],
    (s) => [
      [{ outcome: 'succeeded' }, s.runs],
      [{ outcome: 'failed' }, s.failedRuns],
    ],
  );
  counter(
    'prism_sharepoint_reviews_started_total',
    'Reviews started for new content versions of watched files.',
    [],
    (s) => [[{}, s.reviewsStarted]],
  );
  counter(
    'prism_sharepoint_files_skipped_total',
    'Changed files of watched places not sent for review, by reason.',
    ['reason'],
    (s) => Object.entries(s.skipped).map(([reason, value]) => [{ reason }, value]),
  );
  counter(
    'prism_sharepoint_background_failures_total',
    'SharePoint background tasks (runs, renewals, notification reads) that failed.',
    [],
    (s) => [[{}, s.backgroundFailures]],
  );
}
