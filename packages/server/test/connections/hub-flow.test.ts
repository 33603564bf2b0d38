import { randomBytes } from 'node:crypto';
import {
  type ConnectionProvider,
  generateApiKeySecret,
  hashApiKeySecret,
  PrismService,
} from '@prism/sdk';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ConnectionHub } from '../../src/connections/hub.js';
import {
  type AuthorizationRequest,
  type CodeExchange,
  type ConnectionTokens,
  OAuthError,
  type OAuthProvider,
} from '../../src/connections/types.js';
import { Vault } from '../../src/connections/vault.js';
import { buildServer } from '../../src/server.js';
import { openStore } from '../../src/store/open-store.js';
import type { SqlStore } from '../../src/store/sql-store.js';

// Creating an embedded database takes several seconds.
vi.setConfig({ hookTimeout: 60_000 });

const ACCESS_TOKEN = 'xoxb-access-0123456789-secret';
const REFRESH_TOKEN = 'xoxe-1-refresh-0123456789-secret';

/** A provider of Prism's own interface that records what the hub asks of it. */
function scriptedProvider(name: ConnectionProvider) {
  const seen = {
    authorizations: [] as AuthorizationRequest[],
    exchanges: [] as CodeExchange[],
    revoked: [] as ConnectionTokens[],
  };
  const provider: OAuthProvider = {
    name,
    supportsPkce: true,
    async authorizationUrl(request) {
      seen.authorizations.push(request);
      const url = new URL(`https://${name}.example/authorize`);
      url.searchParams.set('state', request.state);
      url.searchParams.set('code_challenge', request.codeChallenge);
      url.searchParams.set('redirect_uri', request.redirectUri);
      return url.toString();
    },
    async exchangeCode(exchange) {
      seen.exchanges.push(exchange);
      if (exchange.code === 'refused') {
        throw new OAuthError('provider_error', `${name} refused the code (invalid_grant).`);
      }
      const other = exchange.code === 'other-account';
      return {
        tokens: {
          accessToken: ACCESS_TOKEN,
          refreshToken: REFRESH_TOKEN,
          expiresAt: '2026-11-29T13:00:00.000Z',
          extra: { teamId: other ? 'T0002' : 'T0001' },
        },
        account: other ? { id: 'T0002', name: 'Globex' } : { id: 'T0001', name: 'Acme' },
        scopes: ['chat:write', 'commands'],
      };
    },
    async refresh(tokens) {
      return tokens;
    },
    async revoke(tokens) {
      seen.revoked.push(tokens);
    },
  };
  return { provider, seen };
}

describe('connecting an account through the hub', () => {
  let store: SqlStore;
  let service: PrismService;
  let app: FastifyInstance;
  let now = new Date('2026-11-29T12:00:00Z');
  const slack = scriptedProvider('slack');
  const salesforce = scriptedProvider('salesforce');
  const admin = generateApiKeySecret();
  const otherAdmin = generateApiKeySecret();
  /** The connections the hub told of as connected, with their status then. */
  const connected: string[] = [];

  beforeAll(async () => {
    store = await openStore();
    const vault = new Vault(`k1:${randomBytes(32).toString('base64')}`);
    const hub = new ConnectionHub({
      client: store.client,
      vault,
      publicUrl: 'https://prism.example.com',
      providers: { slack: slack.provider, salesforce: salesforce.provider },
      now: () => now,
      onConnected: (connection) => connected.push(`${connection.id} ${connection.status}`),
    });
    service = new PrismService({
      store,
      connectionFlows: hub,
      fetch: async () => new Response(null, { status: 204 }),
    });
    app = await buildServer({ service, connections: hub });
    for (const [secret, tenantId] of [
      [admin, 'tenant-a'],
      [otherAdmin, 'tenant-b'],
    ] as const) {
      await store.apiKeys.insert({
        id: `key_${tenantId}`,
        tenantId,
        name: 'admin',
        prefix: secret.slice(0, 13),
        role: 'org_admin',
        createdAt: now.toISOString(),
        lastUsedAt: null,
        revokedAt: null,
        secretHash: hashApiKeySecret(secret),
      });
    }
  });
  afterAll(async () => {
    await app?.close();
    await service?.close();
    await store?.close();
  });

  const call = (secret: string | undefined, options: InjectOptions) =>
    app.inject({
      ...options,
      headers: { ...(secret ? { authorization: `Bearer ${secret}` } : {}), ...options.headers },
    });

  /** Starts a flow for tenant A; the state and the pending connection's id. */
  async function start(provider: ConnectionProvider = 'slack') {
    const response = await call(admin, {
      method: 'POST',
      url: '/v2/connections',
      payload: { provider },
    });
    expect(response.statusCode).toBe(201);
    const body = response.json();
    const state = new URL(body.authorizationUrl).searchParams.get('state') as string;
    return { state, connectionId: body.connection.id as string, body };
  }

  const callback = (query: Record<string, string>, provider = 'slack') =>
    app.inject({ method: 'GET', url: `/oauth/${provider}/callback?${new URLSearchParams(query)}` });

  it('connects: pending with an authorization URL, then active after the callback', async () => {
    const { state, connectionId, body } = await start();
    expect(body.connection).toMatchObject({ provider: 'slack', status: 'pending', account: null });
    expect(body.expiresAt).toBe('2026-11-29T12:10:00.000Z');
    const asked = slack.seen.authorizations.at(-1) as AuthorizationRequest;
    expect(asked.redirectUri).toBe('https://prism.example.com/oauth/slack/callback');
    expect(asked.codeChallenge).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const page = await callback({ state, code: 'good' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.body).toContain('Prism is connected to Acme');
    const exchange = slack.seen.exchanges.at(-1) as CodeExchange;
    expect(exchange).toMatchObject({
      code: 'good',
      redirectUri: 'https://prism.example.com/oauth/slack/callback',
    });
    expect(exchange.codeVerifier).toMatch(/^[A-Za-z0-9_-]{64}$/);

    const connection = await call(admin, { method: 'GET', url: `/v2/connections/${connectionId}` });
    expect(connection.json()).toMatchObject({
      status: 'active',
      account: { id: 'T0001', name: 'Acme' },
      scopes: ['chat:write', 'commands'],
      expiresAt: '2026-11-29T13:00:00.000Z',
    });
    expect(connection.body).not.toContain(ACCESS_TOKEN);
    const audit = (await store.audit.list('tenant-a', { limit: 100 })).data;
    expect(audit.map((event) => event.action)).toEqual(
      expect.arrayContaining(['connection.started', 'connection.created']),
    );
  });

  it('connects an account again under the same id, changing nothing until it is approved', async () => {
    const { state, connectionId } = await start();
    expect((await callback({ state, code: 'good' })).statusCode).toBe(200);
    await store.connections.update('tenant-a', connectionId, (current) => ({
      ...current,
      status: 'needs_reauth',
    }));
    const reauthorize = async () => {
      const response = await call(admin, {
        method: 'POST',
        url: `/v2/connections/${connectionId}/reauthorize`,
        payload: {},
      });
      expect(response.statusCode, response.body).toBe(200);
      const body = response.json();
      expect(body.connection).toMatchObject({ id: connectionId, status: 'needs_reauth' });
      return new URL(body.authorizationUrl).searchParams.get('state') as string;
    };
    const status = async () =>
      (await call(admin, { method: 'GET', url: `/v2/connections/${connectionId}` })).json().status;

    const declined = await callback({ state: await reauthorize(), error: 'access_denied' });
    expect(declined.statusCode).toBe(400);
    expect(await status()).toBe('needs_reauth');

    const revokedBefore = slack.seen.revoked.length;
    const other = await callback({ state: await reauthorize(), code: 'other-account' });
    expect(other.statusCode).toBe(409);
    expect(other.body).toContain('not Globex (T0002)');
    expect(await status()).toBe('needs_reauth');
    expect(slack.seen.revoked.slice(revokedBefore)).toEqual([
      expect.objectContaining({ extra: { teamId: 'T0002' } }),
    ]);

    expect(connected.filter((entry) => entry.startsWith(connectionId))).toEqual([
      `${connectionId} active`,
    ]);
    const approved = await callback({ state: await reauthorize(), code: 'good' });
    expect(approved.statusCode).toBe(200);
    expect(await status()).toBe('active');
    expect(connected.filter((entry) => entry.startsWith(connectionId))).toEqual([
      `${connectionId} active`,
      `${connectionId} active`,
    ]);
    const { rows } = await store.client.query<{ version: number }>(
      'SELECT version FROM connection_secrets WHERE connection_id = $1',
      [connectionId],
    );
    expect(rows).toEqual([{ version: 2 }]);
    const audit = (await store.audit.list('tenant-a', { limit: 200 })).data;
    expect(
      audit.filter((event) => event.target.id === connectionId).map((event) => event.action),
    ).toEqual([
      'connection.started',
      'connection.created',
      'connection.reauthorization_started',
      'connection.reauthorization_started',
      'connection.reauthorization_started',
      'connection.reauthorized',
    ]);
  });

  it('refuses to reauthorize a connection that is pending or unknown', async () => {
    const { connectionId } = await start();
    const pending = await call(admin, {
      method: 'POST',
      url: `/v2/connections/${connectionId}/reauthorize`,
    });
    expect(pending.statusCode).toBe(409);
    expect(pending.json()).toMatchObject({ code: 'connection_pending', hint: expect.any(String) });
    const unknown = await call(admin, {
      method: 'POST',
      url: '/v2/connections/con_missing/reauthorize',
    });
    expect(unknown.statusCode).toBe(404);
  });

  it('keeps tokens only encrypted in the database', async () => {
    const { rows } = await store.client.query<{ ciphertext: Uint8Array }>(
      'SELECT ciphertext FROM connection_secrets',
    );
    expect(rows.length).toBeGreaterThan(0);
    for (const { ciphertext } of rows) {
      const bytes = Buffer.from(ciphertext).toString('latin1');
      expect(bytes).not.toContain(ACCESS_TOKEN);
      expect(bytes).not.toContain(REFRESH_TOKEN);
    }
  });

  it('refuses a callback replayed, without a state, or with an unknown one', async () => {
    const { state } = await start();
    expect((await callback({ state, code: 'good' })).statusCode).toBe(200);
    const queries: Record<string, string>[] = [
      { state, code: 'good' },
      { code: 'good' },
      { state: 'made-up', code: 'x' },
    ];
    for (const query of queries) {
      const page = await callback(query);
      expect(page.statusCode).toBe(400);
      expect(page.body).toContain('This connection link is not valid.');
      expect(page.body).toContain('each link works once, within 10 minutes');
    }
  });

  it('refuses a state after 10 minutes, and one sent to another provider', async () => {
    const { state } = await start();
    now = new Date(now.getTime() + 10 * 60_000 + 1);
    const late = await callback({ state, code: 'good' });
    expect(late.statusCode).toBe(400);
    expect(late.body).toContain('expired');

    const fresh = await start();
    const elsewhere = await callback({ state: fresh.state, code: 'good' }, 'salesforce');
    expect(elsewhere.statusCode).toBe(400);
    expect(elsewhere.body).toContain('issued for slack, not salesforce');
  });

  it("shows the provider's error to the user and removes the pending connection", async () => {
    const { state, connectionId } = await start();
    const page = await callback({
      state,
      error: 'access_denied',
      error_description: 'The user <b>declined</b>',
    });
    expect(page.statusCode).toBe(400);
    expect(page.body).toContain(
      'Slack did not grant access (access_denied: The user &lt;b&gt;declined&lt;/b&gt;).',
    );
    const gone = await call(admin, { method: 'GET', url: `/v2/connections/${connectionId}` });
    expect(gone.statusCode).toBe(404);
  });

  it('removes the pending connection when the provider refuses the code', async () => {
    const { state, connectionId } = await start();
    const page = await callback({ state, code: 'refused' });
    expect(page.statusCode).toBe(400);
    expect(page.body).toContain('refused the code');
    const connection = await call(admin, { method: 'GET', url: `/v2/connections/${connectionId}` });
    expect(connection.statusCode).toBe(404);
  });

  it("does not show one tenant's connections to another", async () => {
    const { connectionId } = await start();
    const other = await call(otherAdmin, { method: 'GET', url: `/v2/connections/${connectionId}` });
    expect(other.statusCode).toBe(404);
  });

  it('answers 409 provider_not_configured for a provider without settings', async () => {
    const response = await call(admin, {
      method: 'POST',
      url: '/v2/connections',
      payload: { provider: 'microsoft' },
    });
    expect(response.statusCode).toBe(409);
    expect(response.json()).toMatchObject({
      code: 'provider_not_configured',
      hint: expect.stringContaining('MICROSOFT_CLIENT_ID'),
    });
    const list = await call(admin, { method: 'GET', url: '/v2/connections?limit=100' });
    expect(list.json().data.map((c: { provider: string }) => c.provider)).not.toContain(
      'microsoft',
    );
  });

  it('revokes at the provider, then forgets the connection and its tokens', async () => {
    const { state, connectionId } = await start();
    await callback({ state, code: 'good' });
    const deleted = await call(admin, { method: 'DELETE', url: `/v2/connections/${connectionId}` });
    expect(deleted.statusCode).toBe(204);
    expect(slack.seen.revoked.at(-1)?.accessToken).toBe(ACCESS_TOKEN);
    const { rows } = await store.client.query(
      'SELECT 1 FROM connection_secrets WHERE connection_id = $1',
      [connectionId],
    );
    expect(rows).toEqual([]);
    expect(
      (await call(admin, { method: 'GET', url: `/v2/connections/${connectionId}` })).statusCode,
    ).toBe(404);
  });

  it('starts a flow from a browser link and sends the user back to returnUrl', async () => {
    const started = await call(admin, {
      method: 'GET',
      url: `/oauth/slack/start?returnUrl=${encodeURIComponent('https://app.example.com/done')}`,
    });
    expect(started.statusCode).toBe(302);
    const state = new URL(started.headers.location as string).searchParams.get('state') as string;
    const back = await callback({ state, code: 'good' });
    expect(back.statusCode).toBe(302);
    expect(back.headers.location).toMatch(/^https:\/\/app\.example\.com\/done\?connection=con_/);
  });
});
