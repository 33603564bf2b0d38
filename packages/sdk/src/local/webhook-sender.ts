import { EventEmitter } from 'eventemitter3';
import type { Fetch } from '../client/wire.js';
import { PrismError } from '../errors.js';
import type { WebhookAttempt, WebhookEventType } from '../schema/index.js';
import { signWebhook } from '../webhooks/sign.js';
import { newId, stableId } from './ids.js';
import type { Store, WebhookDeliveryRow, WebhookEndpointRow } from './store.js';

/** Time for one delivery attempt, in milliseconds (as Svix and Stripe: 15 s). */
export const WEBHOOK_ATTEMPT_TIMEOUT_MS = 15_000;

/**
 * The waits before each retry of a failed delivery, in milliseconds (Svix's schedule: 5 s,
 * 5 min, 30 min, 2 h, 5 h, 10 h, 10 h); after the last retry fails the delivery is `dead`.
 */
export const DEFAULT_RETRY_SCHEDULE_MS: readonly number[] = [
  5_000,
  5 * 60_000,
  30 * 60_000,
  2 * 3_600_000,
  5 * 3_600_000,
  10 * 3_600_000,
  10 * 3_600_000,
];

/** Dead deliveries in a row after which an endpoint is disabled. */
export const DEFAULT_DISABLE_AFTER_DEAD = 5;

/** How long a process holds a due delivery it is sending, before another may take it. */
const ATTEMPT_LEASE_MS = 2 * WEBHOOK_ATTEMPT_TIMEOUT_MS;

/** When deliveries are retried and endpoints given up on. */
export interface WebhookRetryPolicy {
  /** The waits before each retry, in milliseconds. Default {@link DEFAULT_RETRY_SCHEDULE_MS}. */
  scheduleMs: readonly number[];
  /** Dead deliveries in a row that disable an endpoint. Default {@link DEFAULT_DISABLE_AFTER_DEAD}. */
  disableAfterDead: number;
}

/** An event to deliver: its type and its `data`. */
export interface OutgoingEvent {
  /** The event type. */
  type: WebhookEventType;
  /** The event's data, as the event schema of its type describes. */
  data: Record<string, unknown>;
}

/**
 * Delivers events to the tenant's enabled endpoints that subscribe to them, in the Standard
 * Webhooks format: one delivery per endpoint, logged with each attempt's status and time. A
 * failed attempt is retried on a schedule (`failed` with `nextAttemptAt`), each time with the
 * same `webhook-id` and payload; after the last retry the delivery is `dead`, and an endpoint
 * whose deliveries die several times in a row is disabled. Retries are sent by
 * {@link WebhookSender.sendDue}, which any process sharing the store may call: a delivery is
 * leased to one sender at a time.
 */
export class WebhookSender {
  readonly #store: Store;
  readonly #fetch: Fetch;
  readonly #now: () => Date;
  readonly #inFlight = new Set<Promise<unknown>>();
  readonly #attempts = new EventEmitter<{ attempt: (delivery: WebhookDeliveryRow) => void }>();

  readonly #policy: WebhookRetryPolicy;

  constructor(
    store: Store,
    fetch: Fetch,
    now: () => Date,
    policy: Partial<WebhookRetryPolicy> = {},
  ) {
    this.#store = store;
    this.#fetch = fetch;
    this.#now = now;
    this.#policy = {
      scheduleMs: policy.scheduleMs ?? DEFAULT_RETRY_SCHEDULE_MS,
      disableAfterDead: policy.disableAfterDead ?? DEFAULT_DISABLE_AFTER_DEAD,
    };
  }

  /**
   * Starts delivering `event` to every endpoint that wants it; returns without waiting. Give
   * `eventId` when the same event may be published again (a resumed job), so it is sent once.
   */
  publish(tenantId: string, event: OutgoingEvent, eventId: string = newId('msg')): void {
    this.#track(this.record(tenantId, event, eventId));
  }

  /**
   * Records one delivery of `event` per endpoint that wants it, with ids made from `eventId`
   * (`webhook-id`) and the endpoint, then starts sending them. Recording the same event again
   * (a job run again after a crash) finds its deliveries there and adds none, so each endpoint
   * gets the event once, with the same id and payload. Resolves once the deliveries are stored.
   */
  async record(tenantId: string, event: OutgoingEvent, eventId: string): Promise<void> {
    const timestamp = this.#now().toISOString();
    const payload = JSON.stringify({ type: event.type, timestamp, data: event.data });
    for await (const endpoint of this.#endpoints(tenantId)) {
      if (endpoint.status !== 'enabled') continue;
      if (endpoint.enabledEvents.length > 0 && !endpoint.enabledEvents.includes(event.type)) {
        continue;
      }
      const delivery: WebhookDeliveryRow = {
        id: stableId('whd', `${eventId}:${endpoint.id}`),
        tenantId,
        endpointId: endpoint.id,
        eventId,
        eventType: event.type,
        status: 'pending',
        attempts: [],
        nextAttemptAt: timestamp,
        createdAt: timestamp,
        payload,
        leaseUntil: null,
        leaseId: null,
      };
      try {
        await this.#store.webhookDeliveries.insert(delivery);
      } catch (error) {
        if (error instanceof PrismError && error.code === 'store_conflict') continue;
        throw error;
      }
      this.#track(this.attempt(delivery));
    }
  }

  /**
   * Sends a stored delivery now, with its id and payload, and records the attempt: `succeeded`,
   * or `failed` with the next retry's time, or `dead` when the schedule is used up (which may
   * disable the endpoint). Returns the delivery as recorded.
   */
  async attempt(delivery: WebhookDeliveryRow): Promise<WebhookDeliveryRow> {
    const endpoint = await this.#store.webhookEndpoints.get(delivery.tenantId, delivery.endpointId);
    const result = endpoint
      ? await this.#send(endpoint, delivery)
      : {
          at: this.#now().toISOString(),
          responseStatus: null,
          durationMs: 0,
          error: 'endpoint deleted',
        };
    const ok = result.responseStatus !== null && result.responseStatus < 300;
    const updated = await this.#store.webhookDeliveries.update(
      delivery.tenantId,
      delivery.id,
      (current) => {
        const attempts = [...current.attempts, result];
        const wait = ok || !endpoint ? undefined : this.#policy.scheduleMs[attempts.length - 1];
        return {
          ...current,
          status: ok ? 'succeeded' : wait === undefined ? 'dead' : 'failed',
          attempts,
          nextAttemptAt:
            wait === undefined ? null : new Date(this.#now().getTime() + wait).toISOString(),
          leaseUntil: null,
        };
      },
    );
    const recorded = updated ?? delivery;
    if (recorded.status === 'dead' && endpoint) await this.#disableIfDying(endpoint);
    this.#attempts.emit('attempt', recorded);
    return recorded;
  }

  /**
   * Sends the deliveries whose retry is due (of every tenant), at most `limit`, each leased to
   * this sender so that another process calling this at the same time skips it. Returns how
   * many were sent.
   */
  async sendDue(limit = 50): Promise<number> {
    const now = this.#now();
    const due = await this.#store.webhookDeliveries.listDue(now.toISOString(), limit);
    let sent = 0;
    for (const delivery of due) {
      const lease = newId('lease');
      const leased = await this.#store.webhookDeliveries.update(
        delivery.tenantId,
        delivery.id,
        (current) =>
          current.nextAttemptAt !== null &&
          current.nextAttemptAt <= now.toISOString() &&
          (current.leaseUntil === null || current.leaseUntil <= now.toISOString())
            ? {
                ...current,
                leaseUntil: new Date(now.getTime() + ATTEMPT_LEASE_MS).toISOString(),
                leaseId: lease,
              }
            : current,
      );
      if (leased?.leaseId !== lease) continue;
      await this.attempt(leased);
      sent += 1;
    }
    return sent;
  }

  /** Disables an endpoint whose last deliveries all died, saying why. */
  async #disableIfDying(endpoint: WebhookEndpointRow): Promise<void> {
    const { disableAfterDead } = this.#policy;
    const recent = await this.#store.webhookDeliveries.list(endpoint.tenantId, {
      where: { endpointId: endpoint.id },
      limit: disableAfterDead,
    });
    const finished = recent.data.filter((delivery) => delivery.status !== 'pending');
    if (finished.length < disableAfterDead || finished.some((item) => item.status !== 'dead')) {
      return;
    }
    await this.#store.webhookEndpoints.update(endpoint.tenantId, endpoint.id, (current) =>
      current.status === 'enabled'
        ? {
            ...current,
            status: 'disabled',
            disabledReason: `The last ${disableAfterDead} deliveries failed every attempt; fix the endpoint and enable it again.`,
            updatedAt: this.#now().toISOString(),
          }
        : current,
    );
  }

  /**
   * Listens to every delivery attempt once it is recorded (first attempts and replays alike),
   * e.g. for metrics; returns the function that stops listening.
   */
  onAttempt(listener: (delivery: WebhookDeliveryRow) => void): () => void {
    this.#attempts.on('attempt', listener);
    return () => this.#attempts.off('attempt', listener);
  }

  /** Waits for the deliveries under way. */
  async settle(): Promise<void> {
    while (this.#inFlight.size > 0) await Promise.allSettled([...this.#inFlight]);
  }

  async *#endpoints(tenantId: string): AsyncGenerator<WebhookEndpointRow> {
    let cursor: string | undefined;
    do {
      const page = await this.#store.webhookEndpoints.list(tenantId, {
        limit: 100,
        ...(cursor === undefined ? {} : { cursor }),
      });
      yield* page.data;
      cursor = page.nextCursor ?? undefined;
    } while (cursor !== undefined);
  }

  async #send(endpoint: WebhookEndpointRow, delivery: WebhookDeliveryRow): Promise<WebhookAttempt> {
    const started = this.#now();
    const at = started.toISOString();
    const secrets = endpoint.secrets
      .filter(({ expiresAt }) => expiresAt === null || Date.parse(expiresAt) > started.getTime())
      .map(({ secret }) => secret);
    const headers = {
      'content-type': 'application/json',
      'user-agent': 'Prism-Webhooks/1',
      ...signWebhook({
        id: delivery.eventId,
        timestamp: started,
        payload: delivery.payload,
        secrets,
      }),
    };
    const begin = performance.now();
    try {
      const response = await this.#fetch(endpoint.url, {
        method: 'POST',
        headers,
        body: delivery.payload,
        signal: AbortSignal.timeout(WEBHOOK_ATTEMPT_TIMEOUT_MS),
        redirect: 'manual',
      });
      await response.body?.cancel().catch(() => {});
      return {
        at,
        responseStatus: response.status,
        durationMs: Math.round(performance.now() - begin),
        error: response.status < 300 ? null : `HTTP ${response.status}`,
      };
    } catch (error) {
      return {
        at,
        responseStatus: null,
        durationMs: Math.round(performance.now() - begin),
        error: error instanceof Error ? error.message : String(error),
      };
    }
  }

  #track(work: Promise<unknown>): void {
    const tracked = work.catch(() => {}).finally(() => this.#inFlight.delete(tracked));
    this.#inFlight.add(tracked);
  }
}
