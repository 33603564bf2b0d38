import type { CallOptions, ListParams, PostOptions, WebhooksApi } from '../api/types.js';
import type { PagePromise } from '../client/pagination.js';
import {
  type WebhookDelivery,
  type WebhookDeliveryStatus,
  type WebhookEndpoint,
  type WebhookEndpointCreate,
  WebhookEndpointCreateSchema,
  type WebhookEndpointUpdate,
  WebhookEndpointUpdateSchema,
  type WebhookEndpointWithSecret,
  type WebhookSecret,
  type WebhookSecretRotate,
  WebhookSecretRotateSchema,
} from '../schema/index.js';
import { generateWebhookSecret } from '../webhooks/secret.js';
import { WebhookSignatures } from '../webhooks/signatures.js';
import type { LocalContext } from './context.js';
import { tablePages } from './paging.js';
import { notFound, type Operation } from './problems.js';
import { toDelivery, toEndpoint } from './rows.js';
import type { WebhookEndpointRow } from './store.js';
import { parseInput } from './validate.js';

/** How long an old signing secret keeps signing after a rotation by default: 24 hours. */
export const DEFAULT_SECRET_GRACE_SECONDS = 86_400;

/**
 * `prism.webhooks` in-process: endpoints and their secrets, and deliveries sent from this
 * process (one attempt each; replay to try again).
 */
export class LocalWebhooks extends WebhookSignatures implements WebhooksApi {
  readonly #context: LocalContext;

  constructor(context: LocalContext) {
    super();
    this.#context = context;
  }

  async create(
    params: WebhookEndpointCreate,
    _options?: PostOptions,
  ): Promise<WebhookEndpointWithSecret> {
    const operation: Operation = { method: 'POST', path: '/v2/webhook-endpoints' };
    const input = parseInput(operation, WebhookEndpointCreateSchema, params);
    const context = this.#context;
    const at = context.timestamp();
    const secret = generateWebhookSecret();
    const row: WebhookEndpointRow = {
      id: context.newId('whe'),
      tenantId: context.tenantId,
      url: input.url,
      description: input.description ?? null,
      enabledEvents: input.enabledEvents ?? [],
      status: 'enabled',
      disabledReason: null,
      createdAt: at,
      updatedAt: at,
      secrets: [{ secret, expiresAt: null }],
    };
    await context.store.webhookEndpoints.insert(row);
    await context.audit(
      'webhook_endpoint.created',
      { type: 'webhook_endpoint', id: row.id },
      {
        url: row.url,
      },
    );
    return { endpoint: toEndpoint(row), secret };
  }

  list(params: ListParams = {}, _options?: CallOptions): PagePromise<WebhookEndpoint> {
    return tablePages(
      { method: 'GET', path: '/v2/webhook-endpoints' },
      this.#context.store.webhookEndpoints,
      this.#context.tenantId,
      params,
      {},
      toEndpoint,
    );
  }

  async get(endpointId: string, _options?: CallOptions): Promise<WebhookEndpoint> {
    const operation: Operation = { method: 'GET', path: `/v2/webhook-endpoints/${endpointId}` };
    return toEndpoint(await this.#endpoint(operation, endpointId));
  }

  async update(
    endpointId: string,
    params: WebhookEndpointUpdate,
    _options?: CallOptions,
  ): Promise<WebhookEndpoint> {
    const operation: Operation = { method: 'PATCH', path: `/v2/webhook-endpoints/${endpointId}` };
    const input = parseInput(operation, WebhookEndpointUpdateSchema, params);
    const row = await this.#change(operation, endpointId, (current) => ({
      ...current,
      ...input,
      ...(input.status === 'enabled' ? { disabledReason: null } : {}),
      ...(input.status === 'disabled' ? { disabledReason: 'disabled by a user' } : {}),
    }));
    await this.#context.audit(
      'webhook_endpoint.updated',
      { type: 'webhook_endpoint', id: endpointId },
      {
        fields: Object.keys(input),
      },
    );
    return toEndpoint(row);
  }

  async delete(endpointId: string, _options?: CallOptions): Promise<void> {
    const operation: Operation = { method: 'DELETE', path: `/v2/webhook-endpoints/${endpointId}` };
    const { store, tenantId } = this.#context;
    if (!(await store.webhookEndpoints.delete(tenantId, endpointId))) {
      throw notFound(operation, 'webhook endpoint', endpointId);
    }
    // Deliveries still to be sent go with the endpoint; the log of finished ones stays.
    await store.webhookDeliveries.deleteWhere(tenantId, { endpointId, status: 'pending' });
    await store.webhookDeliveries.deleteWhere(tenantId, { endpointId, status: 'failed' });
    await this.#context.audit('webhook_endpoint.deleted', {
      type: 'webhook_endpoint',
      id: endpointId,
    });
  }

  async rotateSecret(
    endpointId: string,
    params: WebhookSecretRotate = {},
    _options?: PostOptions,
  ): Promise<WebhookSecret> {
    const operation: Operation = {
      method: 'POST',
      path: `/v2/webhook-endpoints/${endpointId}/rotate-secret`,
    };
    const input = parseInput(operation, WebhookSecretRotateSchema, params);
    const graceSeconds = input.gracePeriodSeconds ?? DEFAULT_SECRET_GRACE_SECONDS;
    const now = this.#context.now();
    const previousExpiresAt =
      graceSeconds === 0 ? null : new Date(now.getTime() + graceSeconds * 1000).toISOString();
    const secret = generateWebhookSecret();
    await this.#change(operation, endpointId, (current) => {
      const stillValid = current.secrets.filter(
        ({ expiresAt }) => expiresAt !== null && Date.parse(expiresAt) > now.getTime(),
      );
      const [currentSecret] = current.secrets.filter(({ expiresAt }) => expiresAt === null);
      const previous =
        currentSecret && previousExpiresAt !== null
          ? [{ secret: currentSecret.secret, expiresAt: previousExpiresAt }]
          : [];
      return {
        ...current,
        secrets: [{ secret, expiresAt: null }, ...previous, ...stillValid],
        updatedAt: now.toISOString(),
      };
    });
    await this.#context.audit(
      'webhook_endpoint.secret_rotated',
      { type: 'webhook_endpoint', id: endpointId },
      { gracePeriodSeconds: graceSeconds },
    );
    return { secret, previousSecretExpiresAt: previousExpiresAt };
  }

  listDeliveries(
    endpointId: string,
    params: ListParams & { status?: WebhookDeliveryStatus } = {},
    _options?: CallOptions,
  ): PagePromise<WebhookDelivery> {
    const operation: Operation = {
      method: 'GET',
      path: `/v2/webhook-endpoints/${endpointId}/deliveries`,
    };
    const { store, tenantId } = this.#context;
    return tablePages(
      operation,
      store.webhookDeliveries,
      tenantId,
      params,
      {
        where: { endpointId, status: params.status },
        before: async () => {
          await this.#endpoint(operation, endpointId);
        },
      },
      toDelivery,
    );
  }

  async replayDelivery(
    endpointId: string,
    deliveryId: string,
    _options?: PostOptions,
  ): Promise<WebhookDelivery> {
    const operation: Operation = {
      method: 'POST',
      path: `/v2/webhook-endpoints/${endpointId}/deliveries/${deliveryId}/replay`,
    };
    const { store, tenantId, webhooks } = this.#context;
    await this.#endpoint(operation, endpointId);
    const delivery = await store.webhookDeliveries.get(tenantId, deliveryId);
    if (!delivery || delivery.endpointId !== endpointId) {
      throw notFound(operation, 'delivery', deliveryId);
    }
    await this.#context.audit('webhook_delivery.replayed', {
      type: 'webhook_delivery',
      id: deliveryId,
    });
    return toDelivery(await webhooks.attempt(delivery));
  }

  async #endpoint(operation: Operation, endpointId: string): Promise<WebhookEndpointRow> {
    const row = await this.#context.store.webhookEndpoints.get(this.#context.tenantId, endpointId);
    if (!row) throw notFound(operation, 'webhook endpoint', endpointId);
    return row;
  }

  async #change(
    operation: Operation,
    endpointId: string,
    change: (current: WebhookEndpointRow) => WebhookEndpointRow,
  ): Promise<WebhookEndpointRow> {
    const row = await this.#context.store.webhookEndpoints.update(
      this.#context.tenantId,
      endpointId,
      (current) => ({ ...change(current), updatedAt: this.#context.timestamp() }),
    );
    if (!row) throw notFound(operation, 'webhook endpoint', endpointId);
    return row;
  }
}
