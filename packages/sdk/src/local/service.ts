import type { PrismApi } from '../api/types.js';
import type { Fetch } from '../client/wire.js';
import { getBuiltInFramework } from '../engine/frameworks/load.js';
import { createRulesProvider } from '../engine/providers/rules/index.js';
import type { ReviewProvider } from '../engine/types.js';
import { PrismError } from '../errors.js';
import type { Actor, Framework } from '../schema/index.js';
import { LocalContext } from './context.js';
import { PrismCore } from './core.js';
import { newId } from './ids.js';
import { InProcessJobQueue, type JobQueueFactory } from './job-queue.js';
import { MemoryStore } from './memory-store.js';
import type { Store } from './store.js';
import { TenantPrism } from './tenant-prism.js';
import type { WebhookRetryPolicy } from './webhook-sender.js';

/** How a {@link PrismService} runs. Everything is optional. */
export interface PrismServiceOptions {
  /** Who reviews: `rules` (the default, offline) or a provider of your own. */
  model?: 'rules' | ReviewProvider;
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
    this.core = new PrismCore({
      store: options.store ?? new MemoryStore(),
      provider: providerOf(options.model),
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
   * Waits for running reviews and webhook deliveries to finish, then closes the store when it
   * was made here (a store passed in stays open).
   */
  async close(): Promise<void> {
    await this.core.close();
    if (this.#ownsStore) await this.core.store.close();
  }
}

function providerOf(model: PrismServiceOptions['model']): ReviewProvider {
  if (model === undefined || model === 'rules') return createRulesProvider();
  if (typeof model === 'object') return model;
  throw new PrismError('invalid_argument', `There is no model "${String(model)}" in-process.`, {
    hint: "Use 'rules' (the default) or pass a ReviewProvider.",
  });
}
