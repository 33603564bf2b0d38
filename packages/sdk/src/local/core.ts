import type { Fetch } from '../client/wire.js';
import { builtInFrameworks } from '../engine/frameworks/load.js';
import type { ModelClient } from '../engine/providers/model/model-client.js';
import { createRulesProvider } from '../engine/providers/rules/index.js';
import type { ReviewProvider } from '../engine/types.js';
import type { PriceTable } from '../engine/usage/cost.js';
import type { TenantTokenAllowance } from '../engine/usage/tenant-allowance.js';
import type { Framework } from '../schema/index.js';
import type { ConnectionFlows, WatchFlows } from './connection-flows.js';
import type { JobQueue, JobQueueFactory } from './job-queue.js';
import { ReviewBus } from './review-bus.js';
import { runReviewJob } from './review-job.js';
import type { Store } from './store.js';
import { type WebhookRetryPolicy, WebhookSender } from './webhook-sender.js';

/** What a {@link PrismCore} is made of. */
export interface PrismCoreOptions {
  store: Store;
  provider: ReviewProvider;
  chatModel: ModelClient | undefined;
  prices: Readonly<PriceTable>;
  tokenLimits: TokenLimits;
  connectionFlows: ConnectionFlows | undefined;
  watchFlows: WatchFlows | undefined;
  framework: Framework;
  concurrency: number;
  fetch: Fetch;
  now: () => Date;
  newId: (prefix: string) => string;
  jobs: JobQueueFactory;
  webhookRetries: Partial<WebhookRetryPolicy> & { pollMs?: number };
}

/** How many model tokens reviews may spend. */
export interface TokenLimits {
  /** Most input + output tokens one review may use; unlimited when unset. */
  perReview?: number;
  /** What each tenant has left to spend, shared by its reviews; unlimited when unset. */
  tenantAllowance?: TenantTokenAllowance;
}

/** How often due webhook retries are looked for, in milliseconds. */
export const DEFAULT_RETRY_POLL_MS = 1_000;

/**
 * What every tenant's operations share in one process: the store, the review engine's setup,
 * the clock and id maker, the live events of running reviews and the webhook sender.
 */
export class PrismCore {
  readonly store: Store;
  /** The provider reviews use unless they name another model. */
  readonly provider: ReviewProvider;
  /** The model chat answers with; extractive answers without one. */
  readonly chatModel: ModelClient | undefined;
  /** Prices of model tokens, for each review's estimated cost. */
  readonly prices: Readonly<PriceTable>;
  /** How many tokens reviews may spend. */
  readonly tokenLimits: TokenLimits;
  /** The server's OAuth flows for connections; none in-process. */
  readonly connectionFlows: ConnectionFlows | undefined;
  /** The server's side of watches (change notifications); none in-process. */
  readonly watchFlows: WatchFlows | undefined;
  /** The framework reviews use unless they name another. */
  readonly framework: Framework;
  /** Sections reviewed at once. */
  readonly concurrency: number;
  readonly now: () => Date;
  /** Makes the id of a new record from its kind's prefix (`doc`, `rev`, `fnd`...). */
  readonly newId: (prefix: string) => string;
  /** Live events of running reviews. */
  readonly reviewBus = new ReviewBus();
  /** Outgoing webhooks. */
  readonly webhooks: WebhookSender;
  /** The frameworks that need no storing: the built-in ones and the configured default. */
  readonly fixedFrameworks: readonly Framework[];
  /** Where reviews wait to run. */
  readonly jobs: JobQueue;
  readonly #retryTimer: ReturnType<typeof setInterval>;
  #sendingDue: Promise<number> | undefined;

  constructor(options: PrismCoreOptions) {
    this.store = options.store;
    this.provider = options.provider;
    this.chatModel = options.chatModel;
    this.prices = options.prices;
    this.tokenLimits = options.tokenLimits;
    this.connectionFlows = options.connectionFlows;
    this.watchFlows = options.watchFlows;
    this.framework = options.framework;
    this.concurrency = options.concurrency;
    this.now = options.now;
    this.newId = options.newId;
    const { pollMs = DEFAULT_RETRY_POLL_MS, ...policy } = options.webhookRetries;
    this.webhooks = new WebhookSender(options.store, options.fetch, options.now, policy);
    // Retries are looked for in the background; the timer never keeps the process alive.
    this.#retryTimer = setInterval(() => {
      this.#sendingDue ??= this.webhooks
        .sendDue()
        .catch(() => 0)
        .finally(() => {
          this.#sendingDue = undefined;
        });
    }, pollMs);
    this.#retryTimer.unref?.();
    this.jobs = options.jobs((job) => runReviewJob(this, job));
    this.fixedFrameworks = builtInFrameworks.some(
      (known) => known.id === options.framework.id && known.version === options.framework.version,
    )
      ? builtInFrameworks
      : [...builtInFrameworks, options.framework];
  }

  /** The provider of a model name: the default one, or `rules`; `undefined` for another. */
  providerFor(model: string | undefined): ReviewProvider | undefined {
    if (model === undefined || model === this.provider.id) return this.provider;
    return model === 'rules' ? createRulesProvider() : undefined;
  }

  /** Stops looking for webhook retries, then waits as {@link PrismCore.settle} does. */
  async close(): Promise<void> {
    clearInterval(this.#retryTimer);
    await this.settle();
  }

  /** Waits for queued and running reviews and webhook deliveries of this process to finish. */
  async settle(): Promise<void> {
    await this.jobs.settle();
    await this.#sendingDue;
    await this.reviewBus.settle();
    await this.webhooks.settle();
  }
}
