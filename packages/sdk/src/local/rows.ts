import type { ApiKey, Finding, WebhookDelivery, WebhookEndpoint } from '../schema/index.js';
import type { ApiKeyRow, FindingRow, WebhookDeliveryRow, WebhookEndpointRow } from './store.js';

/** A stored finding as the API returns it. */
export function toFinding({ tenantId: _tenant, ...finding }: FindingRow): Finding {
  return finding;
}

/** A stored endpoint as the API returns it: without its secrets. */
export function toEndpoint({
  secrets: _secrets,
  ...endpoint
}: WebhookEndpointRow): WebhookEndpoint {
  return endpoint;
}

/** A stored delivery as the API returns it: without the tenant, payload and lease. */
export function toDelivery({
  tenantId: _tenant,
  payload: _payload,
  leaseUntil: _leaseUntil,
  leaseId: _leaseId,
  ...delivery
}: WebhookDeliveryRow): WebhookDelivery {
  return delivery;
}

/** A stored API key as the API returns it: without its secret's hash. */
export function toApiKey({ secretHash: _hash, ...key }: ApiKeyRow): ApiKey {
  return key;
}
