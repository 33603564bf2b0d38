import { EventEmitter } from 'eventemitter3';
import type { Fetch } from '../client/wire.js';
import { PrismError } from '../errors.js';
import type { WebhookAttempt, WebhookEventType } from '../schema/index.js';
import { signWebhook } from '../webhooks/sign.js';
import { newId, stableId } from './ids.js';
import type { Store, WebhookDeliveryRow, WebhookEndpointRow } from './store.js';

/** Time for one delivery attempt, in milliseconds (as Svix and Stripe: 15 s). */
export const WEBHOOK_ATTEMPT_TIMEOUT_MS = 15_000;

/** An event to deliver: its type and its `data`. */
export interface OutgoingEvent {
  /** The event type. */
  type: WebhookEventType;
  /** The event's data, as the event schema of its type describes. */
  data: Record<string, unknown>;
}

/**
 * Delivers events to the tenant's enabled endpoints that subscribe to them, in the Standard
 * Webhooks format: one delivery per endpoint, logged with each attempt's status and time. The
 * in-process sender tries once (replay a failed delivery to try again); a Prism server retries
 * on a schedule.
 */
export class WebhookSender {
  readonly #store: Store;
  readonly #fetch: Fetch;
  readonly #now: () => Date;
  readonly #inFlight = new Set<Promise<unknown>>();
  readonly #attempts = new EventEmitter<{ attempt: (delivery: WebhookDeliveryRow) => void }>();

  constructor(store: Store, fetch: Fetch, now: () => Date) {
    this.#store = store;
    this.#fetch = fetch;
    this.#now = now;
  }

  /** Starts delivering `event` to every endpoint that wants it; returns without waiting. */
  publish(tenantId: string, event: OutgoingEvent): void {
    this.#track(this.record(tenantId, event, newId('msg')));
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

  /** Sends a stored delivery again, with its id and payload, and returns it updated. */
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
      (current) => ({
        ...current,
        status: ok ? 'succeeded' : 'failed',
        attempts: [...current.attempts, result],
        nextAttemptAt: null,
      }),
    );
    const recorded = updated ?? delivery;
    this.#attempts.emit('attempt', recorded);
    return recorded;
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
