import type { Client } from '@microsoft/microsoft-graph-client';
import type { PrismApi } from '@prism/sdk';
import type { SeenVersions } from '../watch/versions.js';
import type { SharePointWatch } from './sharepoint-watch.js';
import type { WatchStore } from './watch-store.js';

/** A background task of the auto-reviewer, named when it fails. */
export interface BackgroundTask {
  /** `run` a watch's changes, `renew` or `recreate` its subscription, or read `notifications`. */
  kind: 'run' | 'renew' | 'recreate' | 'notifications';
  /** The watch concerned, when one is. */
  watchId: string | undefined;
}

/** How a run of a watch ended. */
export type WatchRunOutcome = { ok: true } | { ok: false; error: unknown };

/** How an `AutoReviewer` works. */
export interface AutoReviewerOptions {
  /**
   * The Prism API of a watch's tenant (the watch's `tenantId`): where its files are uploaded and
   * reviewed, and its reviews read and exported for the write-back.
   */
  prismFor: (watch: SharePointWatch) => PrismApi;
  /**
   * The Graph client of a watch's connection (see `createGraphClient`); give the clients of one
   * Microsoft tenant one shared limiter, so bursts of changes stay within Graph's limits.
   */
  graphFor: (watch: SharePointWatch) => Client | Promise<Client>;
  /** Where watches are kept. */
  store: WatchStore;
  /**
   * The content versions a watch has already sent for review, so none is reviewed twice by it
   * (each watch its own: two watches of one drive each review its files).
   */
  seenFor: (watch: SharePointWatch) => SeenVersions;
  /** The public address of the Prism server; review links are `<publicBaseUrl>/reviews/<id>`. */
  publicBaseUrl: string;
  /** The HTTPS address Graph posts change notifications to, for recreated subscriptions. */
  notificationUrl: string;
  /** The HTTPS address Graph posts lifecycle notifications to. Default `notificationUrl`. */
  lifecycleNotificationUrl?: string;
  /** The clock. Default the system clock. */
  clock?: () => Date;
  /** Files of one run downloaded and sent for review at once. Default 4. */
  concurrency?: number;
  /** The largest file reviewed, in bytes. Default Prism's limit (25 MB). */
  maxFileBytes?: number;
  /** Delta pages read before the changes so far are handled and the position saved. Default 50. */
  maxDeltaPages?: number;
  /** Subscriptions expiring within this many milliseconds are renewed by `renewDue`. Default one day. */
  renewalMarginMs?: number;
  /** The lifetime asked for subscriptions, in minutes. Default Graph's maximum less an hour. */
  subscriptionMinutes?: number;
  /**
   * Told how each run of a watch ended — its changes read and reviews started, or the failure
   * that stopped it — so a server can show a watch's health. What it throws goes to `onError`.
   */
  onRun?: (watchId: string, outcome: WatchRunOutcome) => unknown;
  /** Told of each background task that failed (the server logs it). Default: counted only. */
  onError?: (error: unknown, task: BackgroundTask) => void;
}
