import type { PrismApi } from '../api/types.js';
import type { Fetch } from '../client/wire.js';
import { getBuiltInFramework } from '../engine/frameworks/load.js';
import {
  type ModelSpecOptions,
  type ResolvedModel,
  resolveModel,
} from '../engine/providers/resolve-model.js';
import type { ReviewProvider } from '../engine/types.js';
import { DEFAULT_PRICES, type PriceTable } from '../engine/usage/cost.js';
import { PrismError } from '../errors.js';
import type { Actor, Framework } from '../schema/index.js';
import type { ConnectionFlows, WatchFlows } from './connection-flows.js';
import { ConnectionLifecycle } from './connection-lifecycle.js';
import { LocalContext } from './context.js';
import { PrismCore, type TokenLimits } from './core.js';
import { newId } from './ids.js';
import { InProcessJobQueue, type JobQueueFactory } from './job-queue.js';
import { MemoryStore } from './memory-store.js';
import { storedModelAnswers } from './model-answers.js';
import type { Store } from './store.js';
import { TenantPrism } from './tenant-prism.js';
import type { WebhookRetryPolicy } from './webhook-sender.js';

/** How a {@link PrismService} runs. Everything is optional. */
export interface PrismServiceOptions {
  /**
   * Who reviews: a model spec — `rules` (the default, offline), `bedrock` or
   * `bedrock:<model-id>` (Claude on Amazon Bedrock, AWS credentials from the environment),
   * `openai-compatible:<model>` (`OPENAI_BASE_URL`, `OPENAI_API_KEY`), several comma-separated
   * to fall back in order (see `resolveModel`) — or a provider of your own.
   */
  model?: string | ReviewProvider;
  /**
   * How a model spec's providers are made: limits per model, retries, clients. Model answers
   * are kept in the store's review cache unless `provider.answers` says otherwise.
   */
  modelOptions?: ModelSpecOptions;
  /** Prices of model tokens, for each review's estimated cost. Default `DEFAULT_PRICES`. */
  prices?: Readonly<PriceTable>;
  /**
   * How many model tokens reviews may spend: `perReview` (input + output tokens) and a
   * `tenantAllowance`. A review that runs out stops, keeps its findings so far and fails with
   * `token_budget_exceeded`. Unlimited by default.
   */
  tokenLimits?: TokenLimits;
  /**
   * The OAuth flows of connections, which a server provides (`prism.connections.create`
   * starts one, `delete` revokes at the provider). Without, connecting is not supported.
   */
  connectionFlows?: ConnectionFlows;
  /**
   * The server's side of watches (`prism.watches.create` starts one, `delete` stops it). Without,
   * watches are not supported.
   */
  watchFlows?: WatchFlows;
  /** Where records are kept. Default: a new {@link MemoryStore} (nothing survives the process). */
  store?: Store;
  /**
   * The framework reviews use unless they name one: a built-in id (`hawkeye-20`, optionally
   * `@version`) or a framework of your own (see `loadFramework`). Default `hawkeye-20`.
   */
  framework?: string | Framework;
  /** Sections reviewed at once. Default 4. */
  concurrency?: number;
  /** The `fetch` webhook deliveries go through. Default the global `fetch`. */
  fetch?: Fetch;
  /** The clock. Default the system clock. */
  now?: () => Date;
  /**
   * Makes the id of a new record from its kind's prefix (`doc`, `rev`, `fnd`...). Default: the
   * prefix and 20 random characters. Pass a counter to get the same ids on every run.
   */
  newId?: (prefix: string) => string;
  /** Where reviews wait to run. Default: run at once in this process ({@link InProcessJobQueue}). */
  jobs?: JobQueueFactory;
  /**
   * How failed webhook deliveries are retried: `scheduleMs` (waits before each retry; Svix's
   * schedule by default), `disableAfterDead` (dead deliveries in a row that disable an endpoint,
   * default 5) and `pollMs` (how often due retries are looked for, default 1 s).
   */
  webhookRetries?: Partial<WebhookRetryPolicy> & { pollMs?: number };
}

/**
 * Prism's operations in-process for any number of tenants: one store, engine and webhook sender,
 * and a {@link PrismApi} per caller (`forActor`), every record scoped to the caller's tenant. A
 * server answers each request with the API of the request's tenant and key; `Prism.local()` is
 * one tenant of one.
 */
export class PrismService {
  /** What every tenant shares. */
  readonly core: PrismCore;
  /** Whether the store was made here (and is closed with the service). */
  readonly #ownsStore: boolean;

  /** @throws {PrismError} `invalid_argument` for a bad option; `unknown_framework` for an unknown id. */
  constructor(options: PrismServiceOptions = {}) {
    const concurrency = options.concurrency ?? 4;
    if (!(Number.isInteger(concurrency) && concurrency >= 1)) {
      throw new PrismError(
        'invalid_argument',
        `concurrency must be a whole number >= 1, not ${concurrency}.`,
      );
    }
    this.#ownsStore = options.store === undefined;
    const store = options.store ?? new MemoryStore();
    const model = modelOf(options.model, {
      ...options.modelOptions,
      provider: {
        answers: storedModelAnswers(store.reviewCache),
        ...options.modelOptions?.provider,
      },
    });
    this.core = new PrismCore({
      store,
      provider: model.provider,
      chatModel: model.chat,
      prices: options.prices ?? DEFAULT_PRICES,
      tokenLimits: options.tokenLimits ?? {},
      connectionFlows: options.connectionFlows,
      watchFlows: options.watchFlows,
      framework:
        typeof options.framework === 'object'
          ? options.framework
          : getBuiltInFramework(options.framework ?? 'hawkeye-20'),
      concurrency,
      fetch: options.fetch ?? ((url, init) => globalThis.fetch(url, init)),
      now: options.now ?? (() => new Date()),
      newId: options.newId ?? newId,
      jobs: options.jobs ?? ((run) => new InProcessJobQueue(run)),
      webhookRetries: options.webhookRetries ?? {},
    });
  }

  /** The API as `actor` of `tenantId` sees it: every record read and written is the tenant's. */
  forActor(tenantId: string, actor: Actor): PrismApi {
    return new TenantPrism(new LocalContext(this.core, tenantId, actor));
  }

  /**
   * Records what happens to `tenantId`'s connections outside the API (a flow completing, a
   * refresh refused), as done by `actor`.
   */
  connectionLifecycle(tenantId: string, actor: Actor): ConnectionLifecycle {
    return new ConnectionLifecycle(this.core, tenantId, actor);
  }

  /**
   * Waits for running reviews and webhook deliveries to finish, then closes the store when it
   * was made here (a store passed in stays open).
   */
  async close(): Promise<void> {
    await this.core.close();
    if (this.#ownsStore) await this.core.store.close();
  }
}

function modelOf(model: PrismServiceOptions['model'], options: ModelSpecOptions): ResolvedModel {
  if (typeof model === 'object') return { provider: model, chat: undefined };
  return resolveModel(model ?? 'rules', options);
}
