import type { ReviewProvider } from '../engine/types.js';
import { TokenBudget } from '../engine/usage/budget.js';
import type { PriceTable } from '../engine/usage/cost.js';
import type { Actor, Framework } from '../schema/index.js';
import { chainAuditEvent } from './audit-chain.js';
import type { PrismCore } from './core.js';
import type { ReviewBus } from './review-bus.js';
import type { Store } from './store.js';
import type { OutgoingEvent, WebhookSender } from './webhook-sender.js';

/** What one caller's operations run with: the shared {@link PrismCore}, their tenant and who they are. */
export class LocalContext {
  readonly core: PrismCore;
  /** The tenant every record read or written belongs to. */
  readonly tenantId: string;
  /** Who decisions and the audit log name. */
  readonly actor: Actor;

  constructor(core: PrismCore, tenantId: string, actor: Actor) {
    this.core = core;
    this.tenantId = tenantId;
    this.actor = actor;
  }

  get store(): Store {
    return this.core.store;
  }

  get provider(): ReviewProvider {
    return this.core.provider;
  }

  get framework(): Framework {
    return this.core.framework;
  }

  get fixedFrameworks(): readonly Framework[] {
    return this.core.fixedFrameworks;
  }

  get concurrency(): number {
    return this.core.concurrency;
  }

  /** Prices of model tokens, for each review's estimated cost. */
  get prices(): Readonly<PriceTable> {
    return this.core.prices;
  }

  /** A new token budget for one review of this tenant, by the configured limits. */
  tokenBudget(): TokenBudget {
    const { perReview, tenantAllowance } = this.core.tokenLimits;
    return new TokenBudget({
      ...(perReview === undefined ? {} : { maxReviewTokens: perReview }),
      ...(tenantAllowance === undefined
        ? {}
        : { tenant: { id: this.tenantId, allowance: tenantAllowance } }),
    });
  }

  get reviewBus(): ReviewBus {
    return this.core.reviewBus;
  }

  get webhooks(): WebhookSender {
    return this.core.webhooks;
  }

  /** The current time. */
  now(): Date {
    return this.core.now();
  }

  /** The current time as an RFC 3339 string. */
  timestamp(): string {
    return this.core.now().toISOString();
  }

  /** The id of a new record of a kind (`doc`, `rev`, `fnd`...). */
  newId(prefix: string): string {
    return this.core.newId(prefix);
  }

  /** The provider of a model name; `undefined` for one this Prism does not have. */
  providerFor(model: string | undefined): ReviewProvider | undefined {
    return this.core.providerFor(model);
  }

  /** Appends a change to the audit log, done by this caller unless `actor` is given. */
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

  /**
   * Sends an event to the tenant's webhook endpoints that subscribe to it; with `eventId`, an
   * event published again under the same id is not sent again.
   */
  publish(event: OutgoingEvent, eventId?: string): void {
    this.webhooks.publish(this.tenantId, event, eventId);
  }
}
