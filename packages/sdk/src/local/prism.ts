import type {
  ApiKeysApi,
  AuditApi,
  ChatApi,
  ConnectionsApi,
  DocumentsApi,
  ExportsApi,
  FindingsApi,
  FrameworksApi,
  PatternsApi,
  PrismClient,
  ReviewFileOptions,
  ReviewsApi,
  StatsApi,
  UploadSource,
  WatchesApi,
  WebhooksApi,
} from '../api/types.js';
import type { Fetch } from '../client/wire.js';
import { getBuiltInFramework } from '../engine/frameworks/load.js';
import { createRulesProvider } from '../engine/providers/rules/index.js';
import type { ReviewReport } from '../engine/report.js';
import type { ReviewProvider } from '../engine/types.js';
import { PrismError } from '../errors.js';
import { reviewFileWith } from '../review-file.js';
import type { Actor, Framework } from '../schema/index.js';
import { LocalApiKeys, LocalAudit } from './access.js';
import { LocalChat } from './chat.js';
import { LocalConnections, LocalWatches } from './connections.js';
import { LocalContext } from './context.js';
import { LocalDocuments } from './documents.js';
import { LocalExports } from './exports.js';
import { LocalFindings } from './findings.js';
import { LocalFrameworks } from './frameworks.js';
import { newId } from './ids.js';
import { LocalPatterns, LocalStats } from './insights.js';
import { MemoryStore } from './memory-store.js';
import { LocalReviews } from './reviews.js';
import type { Store } from './store.js';
import { LocalWebhooks } from './webhooks.js';

/** How `Prism.local()` runs. Everything is optional. */
export interface LocalPrismOptions {
  /** Who reviews: `rules` (the default, offline) or a provider of your own. */
  model?: 'rules' | ReviewProvider;
  /** Where records are kept. Default: a new {@link MemoryStore} (nothing survives the process). */
  store?: Store;
  /**
   * The framework reviews use unless they name one: a built-in id (`hawkeye-20`, optionally
   * `@version`) or a framework of your own (see `loadFramework`). Default `hawkeye-20`.
   */
  framework?: string | Framework;
  /** The tenant records belong to. Default `local`. */
  tenantId?: string;
  /** Who decisions and the audit log name. Default the user `local`. */
  actor?: Actor;
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
}

/**
 * The Prism API in-process: every operation of `PrismApi` on the review engine and a
 * {@link Store} (in memory by default), with the same results and errors as a server (a
 * missing id is a `NotFoundError`, a bad field an `UnprocessableEntityError`...). What needs a
 * server — OAuth connections, and watches and documents that depend on them — throws
 * `NotSupportedLocallyError`. Create it with `Prism.local()`.
 */
export class LocalPrism implements PrismClient {
  readonly documents: DocumentsApi;
  readonly reviews: ReviewsApi;
  readonly findings: FindingsApi;
  readonly chat: ChatApi;
  readonly patterns: PatternsApi;
  readonly stats: StatsApi;
  readonly exports: ExportsApi;
  readonly frameworks: FrameworksApi;
  readonly webhooks: WebhooksApi;
  readonly connections: ConnectionsApi;
  readonly watches: WatchesApi;
  readonly apiKeys: ApiKeysApi;
  readonly audit: AuditApi;
  readonly #context: LocalContext;
  readonly #ownsStore: boolean;

  /** @throws {PrismError} `invalid_argument` for a bad option; `unknown_framework` for an unknown id. */
  constructor(options: LocalPrismOptions = {}) {
    const concurrency = options.concurrency ?? 4;
    if (!(Number.isInteger(concurrency) && concurrency >= 1)) {
      throw new PrismError(
        'invalid_argument',
        `concurrency must be a whole number >= 1, not ${concurrency}.`,
      );
    }
    this.#ownsStore = options.store === undefined;
    const context = new LocalContext({
      store: options.store ?? new MemoryStore(),
      tenantId: options.tenantId ?? 'local',
      actor: options.actor ?? { type: 'user', id: 'local', name: null },
      provider: providerOf(options.model),
      framework:
        typeof options.framework === 'object'
          ? options.framework
          : getBuiltInFramework(options.framework ?? 'hawkeye-20'),
      concurrency,
      fetch: options.fetch ?? ((url, init) => globalThis.fetch(url, init)),
      now: options.now ?? (() => new Date()),
      newId: options.newId ?? newId,
    });
    this.#context = context;
    this.documents = new LocalDocuments(context);
    this.reviews = new LocalReviews(context);
    this.findings = new LocalFindings(context);
    this.chat = new LocalChat(context);
    this.patterns = new LocalPatterns(context);
    this.stats = new LocalStats(context);
    this.exports = new LocalExports(context);
    this.frameworks = new LocalFrameworks(context);
    this.webhooks = new LocalWebhooks(context);
    this.connections = new LocalConnections(context);
    this.watches = new LocalWatches(context);
    this.apiKeys = new LocalApiKeys(context);
    this.audit = new LocalAudit(context);
  }

  reviewFile(file: UploadSource, options: ReviewFileOptions = {}): Promise<ReviewReport> {
    return reviewFileWith(this, file, options);
  }

  /**
   * Waits for running reviews and webhook deliveries to finish, then closes the store when it
   * is the default one (a store you pass in stays open).
   */
  async close(): Promise<void> {
    await this.#context.reviewBus.settle();
    await this.#context.webhooks.settle();
    if (this.#ownsStore) await this.#context.store.close();
  }
}

function providerOf(model: LocalPrismOptions['model']): ReviewProvider {
  if (model === undefined || model === 'rules') return createRulesProvider();
  if (typeof model === 'object') return model;
  throw new PrismError('invalid_argument', `Prism.local() has no model "${String(model)}".`, {
    hint: "Use 'rules' (the default) or pass a ReviewProvider.",
  });
}
