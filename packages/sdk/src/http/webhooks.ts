import type { CallOptions, ListParams, PostOptions, WebhooksApi } from '../api/types.js';
import type { PagePromise } from '../client/pagination.js';
import type { HttpTransport } from '../client/transport.js';
import {
  type WebhookDelivery,
  WebhookDeliveryListSchema,
  WebhookDeliverySchema,
  type WebhookDeliveryStatus,
  type WebhookEndpoint,
  type WebhookEndpointCreate,
  WebhookEndpointListSchema,
  WebhookEndpointSchema,
  type WebhookEndpointUpdate,
  type WebhookEndpointWithSecret,
  WebhookEndpointWithSecretSchema,
  type WebhookSecret,
  type WebhookSecretRotate,
  WebhookSecretSchema,
} from '../schema/webhooks.js';
import { WebhookSignatures } from '../webhooks/signatures.js';
import { pathOf, send, transportOptions } from './request.js';

/** `prism.webhooks` over HTTP; `verify`, `unwrap` and `sign` run in-process and send nothing. */
export class HttpWebhooks extends WebhookSignatures implements WebhooksApi {
  readonly #transport: HttpTransport;

  constructor(transport: HttpTransport) {
    super();
    this.#transport = transport;
  }

  create(params: WebhookEndpointCreate, options?: PostOptions): Promise<WebhookEndpointWithSecret> {
    return send(this.#transport, {
      method: 'POST',
      path: '/v2/webhook-endpoints',
      body: params,
      schema: WebhookEndpointWithSecretSchema,
      ...transportOptions(options),
    });
  }

  list(params: ListParams = {}, options?: CallOptions): PagePromise<WebhookEndpoint> {
    return this.#transport.list({
      path: '/v2/webhook-endpoints',
      schema: WebhookEndpointListSchema,
      ...params,
      ...transportOptions(options),
    });
  }

  get(endpointId: string, options?: CallOptions): Promise<WebhookEndpoint> {
    return send(this.#transport, {
      method: 'GET',
      path: pathOf`/v2/webhook-endpoints/${endpointId}`,
      schema: WebhookEndpointSchema,
      ...transportOptions(options),
    });
  }

  update(
    endpointId: string,
    params: WebhookEndpointUpdate,
    options?: CallOptions,
  ): Promise<WebhookEndpoint> {
    return send(this.#transport, {
      method: 'PATCH',
      path: pathOf`/v2/webhook-endpoints/${endpointId}`,
      body: params,
      schema: WebhookEndpointSchema,
      ...transportOptions(options),
    });
  }

  async delete(endpointId: string, options?: CallOptions): Promise<void> {
    await send(this.#transport, {
      method: 'DELETE',
      path: pathOf`/v2/webhook-endpoints/${endpointId}`,
      ...transportOptions(options),
    });
  }

  rotateSecret(
    endpointId: string,
    params?: WebhookSecretRotate,
    options?: PostOptions,
  ): Promise<WebhookSecret> {
    return send(this.#transport, {
      method: 'POST',
      path: pathOf`/v2/webhook-endpoints/${endpointId}/rotate-secret`,
      body: params,
      schema: WebhookSecretSchema,
      ...transportOptions(options),
    });
  }

  listDeliveries(
    endpointId: string,
    params: ListParams & { status?: WebhookDeliveryStatus } = {},
    options?: CallOptions,
  ): PagePromise<WebhookDelivery> {
    const { limit, cursor, ...query } = params;
    return this.#transport.list({
      path: pathOf`/v2/webhook-endpoints/${endpointId}/deliveries`,
      query,
      limit,
      cursor,
      schema: WebhookDeliveryListSchema,
      ...transportOptions(options),
    });
  }

  replayDelivery(
    endpointId: string,
    deliveryId: string,
    options?: PostOptions,
  ): Promise<WebhookDelivery> {
    return send(this.#transport, {
      method: 'POST',
      path: pathOf`/v2/webhook-endpoints/${endpointId}/deliveries/${deliveryId}/replay`,
      schema: WebhookDeliverySchema,
      ...transportOptions(options),
    });
  }
}
