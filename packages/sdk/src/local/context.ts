import type { Fetch } from '../client/wire.js';
import { builtInFrameworks } from '../engine/frameworks/load.js';
import { createRulesProvider } from '../engine/providers/rules/index.js';
import type { ReviewProvider } from '../engine/types.js';
import type { Actor, Framework } from '../schema/index.js';
import { chainAuditEvent } from './audit-chain.js';
import { ReviewBus } from './review-bus.js';
import type { Store } from './store.js';
import { type OutgoingEvent, WebhookSender } from './webhook-sender.js';

/** How a local Prism is set up; see `LocalPrismOptions`. */
export interface LocalContextOptions {
  store: Store;
  tenantId: string;
  actor: Actor;
  provider: ReviewProvider;
  framework: Framework;
  concurrency: number;
  fetch: Fetch;
  now: () => Date;
  newId: (prefix: string) => string;
}

/** What every local resource shares: the store, who acts, the clock, events and the engine's setup. */
export class LocalContext {
  readonly store: Store;
  readonly tenantId: string;
  readonly actor: Actor;
  /** The provider reviews use unless they name another model. */
  readonly provider: ReviewProvider;
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
  /** The frameworks that need no storing: the built-in ones and the one given in the options. */
  readonly fixedFrameworks: readonly Framework[];

  constructor(options: LocalContextOptions) {
    this.store = options.store;
    this.tenantId = options.tenantId;
    this.actor = options.actor;
    this.provider = options.provider;
    this.framework = options.framework;
    this.concurrency = options.concurrency;
    this.now = options.now;
    this.newId = options.newId;
    this.webhooks = new WebhookSender(options.store, options.fetch, options.now);
    this.fixedFrameworks = builtInFrameworks.some(
      (known) => known.id === options.framework.id && known.version === options.framework.version,
    )
      ? builtInFrameworks
      : [...builtInFrameworks, options.framework];
  }

  /** The current time as an RFC 3339 string. */
  timestamp(): string {
    return this.now().toISOString();
  }

  /** The provider of a model name: the default one, or `rules`; `undefined` for another. */
  providerFor(model: string | undefined): ReviewProvider | undefined {
    if (model === undefined || model === this.provider.id) return this.provider;
    return model === 'rules' ? createRulesProvider() : undefined;
  }

  /** Appends a change to the audit log, done by the configured actor unless `actor` is given. */
  async audit(
    action: string,
    target: { type: string; id: string },
    details: Record<string, unknown> = {},
    actor: Actor = this.actor,
  ): Promise<void> {
    const entry = { actor, action, target, at: this.timestamp(), details };
    await this.store.audit.append(this.tenantId, (previous) =>
      chainAuditEvent(this.tenantId, this.newId('aud'), previous, entry),
    );
  }

  /** Sends an event to the webhook endpoints that subscribe to it. */
  publish(event: OutgoingEvent): void {
    this.webhooks.publish(this.tenantId, event);
  }
}
