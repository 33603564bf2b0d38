import { DEFAULT_MAX_FILE_BYTES } from '../source/reviewable.js';
import { DEFAULT_DELTA_MAX_PAGES } from '../watch/delta.js';
import {
  classifyNotification,
  type LifecycleEvent,
  parseNotifications,
  type ReceivedNotification,
} from '../watch/notifications.js';
import { type NotificationQuery, validationResponse } from '../watch/validation.js';
import { AutoReviewError } from './auto-review-error.js';
import { AutoReviewCounters, type AutoReviewStats } from './auto-review-stats.js';
import { CoalescedRuns } from './coalesced-runs.js';
import type { AutoReviewerOptions, BackgroundTask, WatchRunOutcome } from './options.js';
import { type RunWatchDeps, runWatch, type WatchRunResult } from './run-watch.js';
import { SerialByKey } from './serial-by-key.js';
import type { SharePointWatch } from './sharepoint-watch.js';
import {
  recreateWatchSubscription,
  renewWatchSubscription,
  type SubscriptionOutcome,
  type SubscriptionUpkeepDeps,
} from './subscription-upkeep.js';
import { type WriteBackDeps, type WriteBackOutcome, writeBack } from './write-back.js';

/** A request to the notification endpoint, as the server received it. */
export interface NotificationRequest {
  /** Its query: the raw query string or URL, or the parsed parameters. */
  query: NotificationQuery;
  /** Its body: parsed JSON, or the raw text. */
  body: unknown;
}

/** The answer to give Graph. */
export interface NotificationReply {
  /** 200 for the validation handshake, 202 for notifications taken, 400 for a body that is none. */
  status: 200 | 202 | 400;
  /** Set when there is a body. */
  contentType?: 'text/plain';
  /** The validation token, or what was wrong with the request. */
  body?: string;
}

/** Renewals are due this long before a subscription expires, by default: one day. */
export const DEFAULT_RENEWAL_MARGIN_MS = 24 * 3_600_000;

/**
 * The auto-review loop of SharePoint watches, of any number of tenants (each watch's files are
 * reviewed in its own tenant, see `prismFor`), independent of storage and HTTP: Graph's
 * notifications come in through {@link handleNotification}, which answers at once and does the
 * work in the background; each watch's changes are read with delta queries and each new content
 * version is reviewed once ({@link processWatch}); finished reviews are written back into the
 * library ({@link writeBack}); subscriptions are kept alive ({@link renewDue}).
 */
export class AutoReviewer {
  readonly #deps: RunWatchDeps & WriteBackDeps & SubscriptionUpkeepDeps;
  readonly #renewalMarginMs: number;
  readonly #onError: AutoReviewerOptions['onError'];
  readonly #onRun: AutoReviewerOptions['onRun'];
  readonly #counters = new AutoReviewCounters();
  readonly #runs: CoalescedRuns<WatchRunResult>;
  readonly #upkeep = new SerialByKey();
  readonly #tasks = new Set<Promise<void>>();

  /** @throws {AutoReviewError} `invalid_auto_review_option` for a bad option. */
  constructor(options: AutoReviewerOptions) {
    const concurrency = options.concurrency ?? 4;
    checkOption(
      Number.isInteger(concurrency) && concurrency >= 1,
      `concurrency must be a whole number of at least 1, not ${concurrency}.`,
    );
    checkOption(
      isHttpUrl(options.publicBaseUrl),
      `publicBaseUrl must be an http(s) URL, not ${options.publicBaseUrl}.`,
    );
    const renewalMarginMs = options.renewalMarginMs ?? DEFAULT_RENEWAL_MARGIN_MS;
    checkOption(renewalMarginMs >= 0, `renewalMarginMs must not be negative (${renewalMarginMs}).`);
    this.#renewalMarginMs = renewalMarginMs;
    this.#onError = options.onError;
    this.#onRun = options.onRun;
    this.#deps = {
      prismFor: options.prismFor,
      graphFor: options.graphFor,
      store: options.store,
      seenFor: options.seenFor,
      counters: this.#counters,
      concurrency,
      maxFileBytes: options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES,
      maxDeltaPages: options.maxDeltaPages ?? DEFAULT_DELTA_MAX_PAGES,
      publicBaseUrl: options.publicBaseUrl,
      notificationUrl: options.notificationUrl,
      lifecycleNotificationUrl: options.lifecycleNotificationUrl ?? options.notificationUrl,
      subscriptionMinutes: options.subscriptionMinutes,
      clock: options.clock ?? (() => new Date()),
    };
    this.#runs = new CoalescedRuns((watchId) => this.#runOnce(watchId));
  }

  /**
   * Answers a request to the notification endpoint at once: Graph's validation handshake with
   * the token as `text/plain`, a notification collection with 202 (its work is scheduled: a
   * change runs the watch, a burst of them one run; `reauthorizationRequired` renews the
   * subscription, `subscriptionRemoved` recreates it, `missed` runs the watch), anything else
   * with 400. Notifications with a wrong secret or an unknown subscription are ignored and
   * counted in {@link stats}.
   */
  handleNotification(request: NotificationRequest): NotificationReply {
    const validation = validationResponse(request.query);
    if (validation !== undefined) return validation;
    let notifications: ReceivedNotification[];
    try {
      notifications = parseNotifications(request.body);
    } catch (error) {
      this.#counters.rejected('malformed');
      const message = error instanceof Error ? error.message : String(error);
      return { status: 400, contentType: 'text/plain', body: message };
    }
    this.#counters.add('notifications', notifications.length);
    this.#background({ kind: 'notifications', watchId: undefined }, () =>
      this.#dispatch(notifications),
    );
    return { status: 202 };
  }

  /**
   * Runs a watch: reads its changes and starts a review of each new content version (see
   * `runWatch`). Runs of one watch never overlap: a call while one is going is answered by the
   * next run, which every call made meanwhile shares.
   *
   * @throws the failure that stopped the run (Graph unavailable…), the position left unchanged.
   */
  processWatch(watchId: string): Promise<WatchRunResult> {
    return this.#runs.request(watchId);
  }

  /**
   * Writes the finished review `reviewId`, which the watch `watchId` started, back into the
   * watch's library (see `writeBack`): the review is read in the watch's tenant.
   */
  writeBack(watchId: string, reviewId: string): Promise<WriteBackOutcome> {
    return writeBack(this.#deps, watchId, reviewId);
  }

  /**
   * Renews every subscription expiring within the renewal margin of `now`, recreating the ones
   * Graph has lost (and running their watches, to catch up on what happened meanwhile). A
   * failure is reported in its watch's outcome; the others go on.
   */
  async renewDue(now: Date = this.#deps.clock()): Promise<SubscriptionOutcome[]> {
    const due = await this.#deps.store.expiringBefore(
      new Date(now.getTime() + this.#renewalMarginMs),
    );
    const outcomes: SubscriptionOutcome[] = [];
    for (const watch of due) {
      outcomes.push(await this.#renew(watch).catch((error: unknown) => failed(watch.id, error)));
    }
    return outcomes;
  }

  /** The counts of what the auto-reviewer has done. */
  stats(): AutoReviewStats {
    return this.#counters.snapshot();
  }

  /** Resolves once the background work (notifications, runs, renewals) scheduled so far is done. */
  async idle(): Promise<void> {
    while (this.#tasks.size > 0) await Promise.allSettled([...this.#tasks]);
  }

  async #runOnce(watchId: string): Promise<WatchRunResult> {
    try {
      const result = await runWatch(this.#deps, watchId);
      this.#counters.add('runs');
      await this.#tell(watchId, { ok: true });
      return result;
    } catch (error) {
      this.#counters.add('failedRuns');
      await this.#tell(watchId, { ok: false, error });
      throw error;
    }
  }

  /** Tells `onRun` how a run ended; what it throws goes to `onError`, not to the run. */
  async #tell(watchId: string, outcome: WatchRunOutcome): Promise<void> {
    try {
      await this.#onRun?.(watchId, outcome);
    } catch (error) {
      this.#onError?.(error, { kind: 'run', watchId });
    }
  }

  async #dispatch(notifications: readonly ReceivedNotification[]): Promise<void> {
    const watches = new Map<string, SharePointWatch | undefined>();
    for (const notification of notifications) {
      const id = notification.subscriptionId;
      if (id !== undefined && !watches.has(id)) {
        watches.set(id, await this.#deps.store.bySubscriptionId(id));
      }
      const watch = id === undefined ? undefined : watches.get(id);
      const decision = classifyNotification(notification, watch?.clientState);
      if (decision.kind === 'rejected') {
        this.#counters.rejected(decision.reason);
      } else if (watch !== undefined && decision.kind === 'change') {
        this.#schedule(watch.id);
      } else if (watch !== undefined && decision.kind === 'lifecycle') {
        this.#counters.lifecycle(decision.event);
        this.#lifecycle(watch, decision.event);
      }
    }
  }

  #lifecycle(watch: SharePointWatch, event: LifecycleEvent): void {
    switch (event) {
      case 'missed':
        this.#schedule(watch.id);
        return;
      case 'reauthorizationRequired':
        this.#background({ kind: 'renew', watchId: watch.id }, () => this.#renew(watch));
        return;
      case 'subscriptionRemoved':
        this.#background({ kind: 'recreate', watchId: watch.id }, () =>
          this.#upkeep
            .run(watch.id, () =>
              recreateWatchSubscription(this.#deps, watch.id, watch.subscriptionId),
            )
            .then((outcome) => this.#catchUp(outcome)),
        );
        return;
    }
  }

  #renew(watch: SharePointWatch): Promise<SubscriptionOutcome> {
    return this.#upkeep
      .run(watch.id, () => renewWatchSubscription(this.#deps, watch.id, watch.subscriptionId))
      .then((outcome) => this.#catchUp(outcome));
  }

  /** A recreated subscription missed what happened while there was none: run the watch. */
  #catchUp(outcome: SubscriptionOutcome): SubscriptionOutcome {
    if (outcome.status === 'recreated') this.#schedule(outcome.watchId);
    return outcome;
  }

  /** Runs the watch in the background, unless a run that will see the latest changes is queued. */
  #schedule(watchId: string): void {
    if (this.#runs.hasQueued(watchId)) return;
    this.#background({ kind: 'run', watchId }, () => this.#runs.request(watchId));
  }

  #background(task: BackgroundTask, work: () => Promise<unknown>): void {
    const done = work().then(
      () => undefined,
      (error: unknown) => {
        this.#counters.add('backgroundFailures');
        this.#onError?.(error, task);
      },
    );
    this.#tasks.add(done);
    void done.then(() => this.#tasks.delete(done));
  }
}

function failed(watchId: string, error: unknown): SubscriptionOutcome {
  return { status: 'failed', watchId, error };
}

function checkOption(ok: boolean, message: string): void {
  if (!ok) {
    throw new AutoReviewError('invalid_auto_review_option', message, {
      hint: 'Fix the option passed to new AutoReviewer(), or leave it unset for the default.',
    });
  }
}

function isHttpUrl(value: string): boolean {
  try {
    const { protocol } = new URL(value);
    return protocol === 'https:' || protocol === 'http:';
  } catch {
    return false;
  }
}
