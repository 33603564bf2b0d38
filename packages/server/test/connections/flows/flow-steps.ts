import { createHash } from 'node:crypto';
import type {
  AuditEvent,
  Connection,
  ConnectionAuthorization,
  ConnectionProvider,
  WebhookDelivery,
} from '@prism/sdk';
import { expect } from 'vitest';
import { Vault } from '../../../src/connections/vault.js';
import { oauthStateContext } from '../../../src/connections/vault-context.js';
import type { ApiAnswer, FlowApi, FlowServer } from './flow-server.js';

/** A flow started with `POST /v2/connections`. */
export interface StartedFlow {
  /** The pending connection's id. */
  connectionId: string;
  /** Where the user is sent. */
  authorizationUrl: URL;
  /** The flow's `state`, as the provider will send it back. */
  state: string;
  /**
   * The PKCE verifier the server keeps for the flow, decrypted here with the test's key: a
   * secret that must never show.
   */
  codeVerifier: string;
}

/** The events a flow's webhook endpoint subscribes to. */
const CONNECTION_EVENTS = [
  'connection.created',
  'connection.needs_reauth',
  'connection.revoked',
  'connection.reauthorized',
] as const;

/**
 * `POST /v2/connections` for `provider` (or, given `connectionId`, `POST
 * /v2/connections/{connectionId}/reauthorize`): a pending connection (or the existing one, as it
 * is) and an authorization URL whose state the server keeps, with its PKCE verifier encrypted
 * (its S256 challenge is in the URL when the provider takes PKCE).
 */
export async function startConnecting(
  server: FlowServer,
  provider: ConnectionProvider,
  connectionId?: string,
): Promise<StartedFlow> {
  const answer =
    connectionId === undefined
      ? await server.api.request('POST', '/v2/connections', { body: { provider } })
      : await server.api.request('POST', `/v2/connections/${connectionId}/reauthorize`, {
          body: {},
        });
  expect(answer.status).toBe(connectionId === undefined ? 201 : 200);
  const started = answer.json<ConnectionAuthorization>();
  expect(started.connection).toMatchObject(
    connectionId === undefined
      ? { provider, status: 'pending', account: null }
      : { provider, id: connectionId },
  );
  const authorizationUrl = new URL(started.authorizationUrl);
  const state = authorizationUrl.searchParams.get('state') ?? '';
  const { rows } = await server.store.client.query<{ key_id: string; ciphertext: Uint8Array }>(
    `SELECT verifier_key_id AS key_id, verifier_ciphertext AS ciphertext
     FROM oauth_states WHERE state = $1 AND connection_id = $2`,
    [state, started.connection.id],
  );
  const row = rows[0];
  if (row === undefined) throw new Error('The flow has no stored state.');
  const vault = new Vault(server.config.PRISM_ENCRYPTION_KEYS ?? '');
  const codeVerifier = vault.decryptText(
    { keyId: row.key_id, ciphertext: new Uint8Array(row.ciphertext) },
    oauthStateContext(state),
  );
  return { connectionId: started.connection.id, authorizationUrl, state, codeVerifier };
}

/** The S256 PKCE challenge of `verifier`. */
export function challengeOf(verifier: string): string {
  return createHash('sha256').update(verifier).digest('base64url');
}

/** The provider sends the browser back: `GET /oauth/<provider>/callback?<query>`, no API key. */
export function callback(
  api: FlowApi,
  provider: ConnectionProvider,
  query: Record<string, string>,
): Promise<ApiAnswer> {
  return api.request('GET', `/oauth/${provider}/callback?${new URLSearchParams(query)}`, {
    anonymous: true,
  });
}

/** `GET /v2/connections/<id>`: the connection, or undefined on a 404. */
export async function connectionOf(
  api: FlowApi,
  connectionId: string,
): Promise<Connection | undefined> {
  const answer = await api.request('GET', `/v2/connections/${connectionId}`);
  if (answer.status === 404) return undefined;
  expect(answer.status).toBe(200);
  return answer.json<Connection>();
}

/** Subscribes `url` to the connection events; the endpoint's id. */
export async function subscribeWebhook(api: FlowApi, url: string): Promise<string> {
  const answer = await api.request('POST', '/v2/webhook-endpoints', {
    body: { url, enabledEvents: CONNECTION_EVENTS },
  });
  expect(answer.status).toBe(201);
  return answer.json<{ endpoint: { id: string } }>().endpoint.id;
}

/** `GET /v2/webhook-endpoints/<id>/deliveries`: the endpoint's deliveries. */
export async function deliveriesOf(api: FlowApi, endpointId: string): Promise<WebhookDelivery[]> {
  const answer = await api.request(
    'GET',
    `/v2/webhook-endpoints/${endpointId}/deliveries?limit=100`,
  );
  expect(answer.status).toBe(200);
  return answer.json<{ data: WebhookDelivery[] }>().data;
}

/** `GET /v2/audit-events`: the tenant's audit log. */
export async function auditOf(api: FlowApi): Promise<AuditEvent[]> {
  const answer = await api.request('GET', '/v2/audit-events?limit=100');
  expect(answer.status).toBe(200);
  return answer.json<{ data: AuditEvent[] }>().data;
}

/** `DELETE /v2/connections/<id>`, which must answer 204. */
export async function disconnect(api: FlowApi, connectionId: string): Promise<void> {
  const answer = await api.request('DELETE', `/v2/connections/${connectionId}`);
  expect(answer.status).toBe(204);
}

/** Whether the connection still has tokens in `connection_secrets`. */
export async function hasStoredTokens(server: FlowServer, connectionId: string): Promise<boolean> {
  const { rows } = await server.store.client.query(
    'SELECT 1 FROM connection_secrets WHERE connection_id = $1',
    [connectionId],
  );
  return rows.length > 0;
}

/** The error `promise` fails with; fails the test when it succeeds. */
export async function failureOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a failure');
    },
    (error: unknown) => error,
  );
}
