import type { ServerConfig } from '../config.js';
import type { SharePointAutoReviewSettings } from './sharepoint-auto-review.js';

/** The settings of SharePoint auto-review from the server's `PRISM_SHAREPOINT_*` settings. */
export function sharePointSettingsOf(config: ServerConfig): SharePointAutoReviewSettings {
  return {
    writeBackIntervalMs: config.PRISM_SHAREPOINT_WRITE_BACK_SECONDS * 1000,
    renewalIntervalMs: config.PRISM_SHAREPOINT_RENEWAL_SECONDS * 1000,
    sweepIntervalMs: config.PRISM_SHAREPOINT_SWEEP_SECONDS * 1000,
    ...(config.PRISM_SHAREPOINT_SUBSCRIPTION_MINUTES === undefined
      ? {}
      : { subscriptionMinutes: config.PRISM_SHAREPOINT_SUBSCRIPTION_MINUTES }),
    graph: {
      requestsPerSecond: config.PRISM_SHAREPOINT_GRAPH_REQUESTS_PER_SECOND,
      concurrency: config.PRISM_SHAREPOINT_GRAPH_CONCURRENCY,
    },
  };
}
