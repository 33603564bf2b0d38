import { AutoReviewer, type SubscriptionOutcome } from '@prism/connector-sharepoint';
import type { Actor, Connection, PrismApi, Table, Watch } from '@prism/sdk';
import type { Vault } from '../connections/vault.js';
import type { SqlClient } from '../store/sql-client.js';
import { type AccessTokens, type GraphClientSettings, GraphClients } from './graph-clients.js';
import { GRAPH_HOOK_PATH } from './graph-hook-routes.js';
import { PeriodicTask } from './periodic-task.js';
import { SharePointWatchFlows } from './sharepoint-watch-flows.js';
import { SqlSeenVersions } from './sql-seen-versions.js';
import { SqlWatchStore } from './sql-watch-store.js';
import { recordWatchRun } from './watch-health.js';
import { SharePointWriteBacks, type WriteBackSettings } from './write-backs.js';

/** Who the auto-reviewer acts as in a tenant: uploads, reviews and exports are audited so. */
export const SHAREPOINT_ACTOR: Actor = {
  type: 'system',
  id: 'sharepoint-auto-review',
  name: 'SharePoint auto-review',
};

/** How often and how much the background work of SharePoint watches runs. */
export interface SharePointAutoReviewSettings {
  /** How often finished reviews are looked for and written back, in ms. Default 2 s. */
  writeBackIntervalMs?: number;
  /** How often subscriptions nearing expiry are renewed, in ms. Default one hour. */
  renewalIntervalMs?: number;
  /**
   * How often each watch's changes are read even without a notification (a missed one, or an
   * outage), in ms. Default 15 minutes.
   */
  sweepIntervalMs?: number;
  /** Watches claimed per sweep check (checks run every minute, or each sweep interval if shorter). Default 100. */
  sweepBatchSize?: number;
  /** Subscriptions expiring within this many ms are renewed. Default one day. */
  renewalMarginMs?: number;
  /** The lifetime asked for subscriptions, in minutes. Default Graph's maximum less an hour. */
  subscriptionMinutes?: number;
  /** How write-backs are claimed and retried. */
  writeBack?: Partial<WriteBackSettings>;
  /** How Graph requests are sent. */
  graph?: GraphClientSettings;
}

/** The intervals and batch of {@link SharePointAutoReviewSettings}, each set. */
export type SharePointIntervals = Required<
  Pick<
    SharePointAutoReviewSettings,
    'writeBackIntervalMs' | 'renewalIntervalMs' | 'sweepIntervalMs' | 'sweepBatchSize'
  >
>;

/** The defaults of {@link SharePointIntervals}. */
export const DEFAULT_SHAREPOINT_INTERVALS: SharePointIntervals = {
  writeBackIntervalMs: 2_000,
  renewalIntervalMs: 3_600_000,
  sweepIntervalMs: 15 * 60_000,
  sweepBatchSize: 100,
};

/** The longest wait between two checks for watches due a sweep. */
const SWEEP_CHECK_MAX_MS = 60_000;

/** Where background failures are reported (the server's logger). */
export interface AutoReviewLog {
  /** Logs an error with its details. */
  error(details: Record<string, unknown>, message: string): void;
}

/** What {@link SharePointAutoReview} needs. */
export interface SharePointAutoReviewOptions {
  /** The server's database. */
  client: SqlClient;
  /** The vault that encrypts the subscriptions' secrets. */
  vault: Vault;
  /** The connections' access tokens (the server's token provider). */
  tokens: AccessTokens;
  /** The connection records. */
  connections: Table<Connection>;
  /** The watch records, where each run's outcome is shown. */
  watches: Table<Watch>;
  /** The Prism API of a tenant, acting as {@link SHAREPOINT_ACTOR}. */
  prismFor: (tenantId: string) => PrismApi;
  /** The server's public address (`PRISM_PUBLIC_URL`): review links and Graph's notification URL. */
  publicUrl: string;
  /** Intervals, retries and Graph settings; each has a default. */
  settings?: SharePointAutoReviewSettings;
  /** The clock. Default the system clock. */
  clock?: () => Date;
}

/**
 * SharePoint auto-review served by the server: watches started and stopped through the API
 * ({@link watchFlows}), Graph's notifications answered at `POST /hooks/graph` by the
 * {@link reviewer}, and in the background, once {@link start}ed: finished reviews written back
 * into their libraries ({@link writeBacks}, every 2 s), subscriptions renewed before they expire
 * (hourly) and every watch's changes read even without a notification (every 15 minutes). All
 * state is in the database, so any number of instances share the work.
 */
export class SharePointAutoReview {
  /** The watches' state. */
  readonly store: SqlWatchStore;
  /** The Graph clients of the connections. */
  readonly clients: GraphClients;
  /** The auto-review loop. */
  readonly reviewer: AutoReviewer;
  /** Starts and stops watches (the service's `watchFlows`). */
  readonly watchFlows: SharePointWatchFlows;
  /** The durable write-back of finished reviews. */
  readonly writeBacks: SharePointWriteBacks;
  readonly #settings: SharePointIntervals;
  readonly #clock: () => Date;
  readonly #tasks: PeriodicTask[] = [];
  #log: AutoReviewLog | undefined;

  /** @throws {AutoReviewError} `invalid_auto_review_option` for a public URL that is not http(s). */
  constructor(options: SharePointAutoReviewOptions) {
    const settings = options.settings ?? {};
    this.#settings = { ...DEFAULT_SHAREPOINT_INTERVALS, ...definedOf(settings) };
    this.#clock = options.clock ?? (() => new Date());
    const notificationUrl = `${options.publicUrl.replace(/\/+$/, '')}${GRAPH_HOOK_PATH}`;
    this.store = new SqlWatchStore(options.client, options.vault);
    this.clients = new GraphClients(options.tokens, options.connections, settings.graph ?? {});
    this.reviewer = new AutoReviewer({
      prismFor: (watch) => options.prismFor(watch.tenantId),
      graphFor: (watch) => this.clients.forWatch(watch),
      store: this.store,
      seenFor: (watch) => new SqlSeenVersions(options.client, watch.id),
      publicBaseUrl: options.publicUrl,
      notificationUrl,
      clock: this.#clock,
      ...(settings.renewalMarginMs === undefined
        ? {}
        : { renewalMarginMs: settings.renewalMarginMs }),
      ...(settings.subscriptionMinutes === undefined
        ? {}
        : { subscriptionMinutes: settings.subscriptionMinutes }),
      onRun: async (watchId, outcome) => {
        const watch = await this.store.get(watchId);
        if (watch !== undefined) {
          await recordWatchRun(options.watches, watch, outcome, this.#clock());
        }
      },
      onError: (error, task) =>
        this.#log?.error({ err: error, task }, 'SharePoint auto-review task failed'),
    });
    this.watchFlows = new SharePointWatchFlows({
      store: this.store,
      clients: this.clients,
      notificationUrl,
      clock: this.#clock,
      ...(settings.subscriptionMinutes === undefined
        ? {}
        : { subscriptionMinutes: settings.subscriptionMinutes }),
    });
    this.writeBacks = new SharePointWriteBacks({
      client: options.client,
      writeBack: (watchId, reviewId) => this.reviewer.writeBack(watchId, reviewId),
      onFailure: (error, review) =>
        this.#log?.error({ err: error, ...review }, 'SharePoint write-back failed'),
      clock: this.#clock,
      ...(settings.writeBack === undefined ? {} : { settings: settings.writeBack }),
    });
  }

  /**
   * Starts the background work, reporting failures to `log`: write-backs at once and then every
   * interval, renewals at once (catching up after downtime) and then hourly, sweeps of the
   * watches due one.
   */
  start(log: AutoReviewLog): void {
    if (this.#tasks.length > 0) return;
    this.#log = log;
    const failed = (task: string) => (error: unknown) =>
      log.error({ err: error, task }, 'SharePoint auto-review task failed');
    const { writeBackIntervalMs, renewalIntervalMs, sweepIntervalMs } = this.#settings;
    const writeBacks = new PeriodicTask(
      writeBackIntervalMs,
      () => this.writeBacks.runOnce(),
      failed('write-back'),
    );
    const renewals = new PeriodicTask(renewalIntervalMs, () => this.renew(), failed('renew'));
    const sweeps = new PeriodicTask(
      Math.min(SWEEP_CHECK_MAX_MS, sweepIntervalMs),
      () => this.sweep(),
      failed('sweep'),
    );
    this.#tasks.push(writeBacks, renewals, sweeps);
    writeBacks.start({ immediately: true });
    renewals.start({ immediately: true });
    sweeps.start();
  }

  /**
   * Renews the subscriptions nearing expiry (see the auto-reviewer's `renewDue`); each failure
   * is logged, the others go on.
   */
  async renew(): Promise<SubscriptionOutcome[]> {
    const outcomes = await this.reviewer.renewDue(this.#clock());
    for (const outcome of outcomes) {
      if (outcome.status === 'failed') {
        this.#log?.error(
          { err: outcome.error, watchId: outcome.watchId },
          'SharePoint subscription renewal failed',
        );
      }
    }
    return outcomes;
  }

  /**
   * Reads the changes of the watches not swept for a sweep interval, each claimed by this
   * instance alone; a watch's failure is logged, the others go on. Returns the watches swept.
   */
  async sweep(): Promise<string[]> {
    const now = this.#clock();
    const due = await this.store.claimSweep(
      new Date(now.getTime() - this.#settings.sweepIntervalMs),
      now,
      this.#settings.sweepBatchSize,
    );
    for (const watchId of due) {
      await this.reviewer.processWatch(watchId).catch((error: unknown) => {
        this.#log?.error({ err: error, watchId }, 'SharePoint watch sweep failed');
      });
    }
    return due;
  }

  /**
   * Reads at once the changes of every watch acting through `connection`, which was just
   * connected (again): what happened while it could not act is reviewed now rather than at the
   * next notification or sweep. Failures are logged, never thrown; a watch's failure does not
   * stop the others. Returns the watches run.
   */
  async catchUp(connection: Pick<Connection, 'tenantId' | 'id'>): Promise<string[]> {
    const report = (error: unknown, watchId?: string) =>
      this.#log?.error(
        { err: error, connectionId: connection.id, watchId },
        'SharePoint catch-up failed',
      );
    let watchIds: string[];
    try {
      watchIds = await this.store.idsByConnection(connection.tenantId, connection.id);
    } catch (error) {
      report(error);
      return [];
    }
    for (const watchId of watchIds) {
      await this.reviewer.processWatch(watchId).catch((error: unknown) => report(error, watchId));
    }
    return watchIds;
  }

  /**
   * Stops the background work and waits for what is going (runs, reviews started, write-backs)
   * to end; then the Graph limiters are stopped. Close the HTTP server first, so no notification
   * starts more.
   */
  async close(): Promise<void> {
    const tasks = this.#tasks.splice(0);
    await Promise.all(tasks.map((task) => task.stop()));
    await this.reviewer.idle();
    await this.clients.close();
  }
}

/** What {@link sharePointAutoReviewOf} is given: the pieces the server has, or not. */
export interface SharePointAutoReviewParts
  extends Omit<SharePointAutoReviewOptions, 'vault' | 'tokens' | 'publicUrl'> {
  /** Whether Microsoft connections are configured (`MICROSOFT_CLIENT_ID` and secret). */
  microsoftConfigured: boolean;
  /** The vault, when `PRISM_ENCRYPTION_KEYS` is set. */
  vault: Vault | undefined;
  /** The token provider, when there is a vault. */
  tokens: AccessTokens | undefined;
  /** `PRISM_PUBLIC_URL`, when set. */
  publicUrl: string | undefined;
}

/**
 * SharePoint auto-review, when the server can serve it: Microsoft connections configured, a
 * vault and a public URL. Otherwise `undefined`, and watches stay unsupported (creating one
 * answers 501).
 */
export function sharePointAutoReviewOf(
  parts: SharePointAutoReviewParts,
): SharePointAutoReview | undefined {
  const { microsoftConfigured, vault, tokens, publicUrl, ...rest } = parts;
  if (!microsoftConfigured || vault === undefined || tokens === undefined) return undefined;
  if (publicUrl === undefined) return undefined;
  return new SharePointAutoReview({ ...rest, vault, tokens, publicUrl });
}

/** The settings that are set (an unset one keeps its default). */
function definedOf(settings: SharePointAutoReviewSettings): Partial<SharePointIntervals> {
  const defined: Partial<SharePointIntervals> = {};
  for (const key of Object.keys(DEFAULT_SHAREPOINT_INTERVALS) as (keyof SharePointIntervals)[]) {
    const value = settings[key];
    if (value !== undefined) defined[key] = value;
  }
  return defined;
}
