import { describe, expect, it, vi } from 'vitest';
import {
  CLIENT_ID,
  CLIENT_SECRET,
  FakeSalesforce,
  ORG_ID,
  ORG_NAME,
  REDIRECT_URI,
} from '../providers/salesforce-fake.js';
import { useFlowServer } from './flow-context.js';
import { TENANT } from './flow-server.js';
import { callback, challengeOf, connectionOf, disconnect, hasStoredTokens } from './flow-steps.js';
import { setupProviderNetwork } from './provider-network.js';

vi.mock('../../../src/server.js', async (importOriginal) =>
  (await import('./built-servers.js')).recordBuiltServers(await importOriginal()),
);

// Creating an embedded database takes several seconds.
vi.setConfig({ hookTimeout: 60_000 });

const LOGIN_URL = 'https://login.salesforce.com';
/** Longer than Prism takes a Salesforce access token to last (15 minutes). */
const PAST_EXPIRY_MS = 20 * 60_000;

const network = setupProviderNetwork();
const flow = useFlowServer(network, {
  SALESFORCE_CLIENT_ID: CLIENT_ID,
  SALESFORCE_CLIENT_SECRET: CLIENT_SECRET,
});
/** Salesforce's login server and the org, with refresh token rotation on. */
const salesforce = new FakeSalesforce({ rotateRefreshTokens: true });

/** The forms posted to Salesforce's `/services/oauth2/<path>` so far. */
function posted(path: 'token' | 'revoke'): URLSearchParams[] {
  return salesforce.received
    .filter((received) => received.path === `/services/oauth2/${path}`)
    .map((received) => received.form);
}

/** The stored refresh token of a connection. */
async function storedRefreshToken(connectionId: string): Promise<string> {
  const stored = await flow.server.secrets.read(TENANT, connectionId);
  return stored?.tokens.refreshToken ?? '';
}

/** Connects the org: the flow started, the user approves at Salesforce, which redirects back. */
async function connectOrg() {
  network.answer(...salesforce.handlers());
  const started = await flow.startConnecting('salesforce');
  const code = salesforce.approve(started.authorizationUrl.toString());
  const page = await callback(flow.server.api, 'salesforce', { code, state: started.state });
  return { started, code, page };
}

describe('a Salesforce org connected through a running server', () => {
  let connectionId: string;
  let firstAccessToken: string;
  const codes: string[] = [];

  it('connects: the authorization URL with PKCE, the callback, then active with the org and scopes', async () => {
    const { started, code, page } = await connectOrg();
    connectionId = started.connectionId;
    codes.push(code);

    const url = started.authorizationUrl;
    expect(`${url.origin}${url.pathname}`).toBe(`${LOGIN_URL}/services/oauth2/authorize`);
    expect(url.searchParams.get('redirect_uri')).toBe(REDIRECT_URI);
    expect(url.searchParams.get('code_challenge')).toBe(challengeOf(started.codeVerifier));
    expect(page.status).toBe(200);
    expect(page.body).toContain(`Prism is connected to ${ORG_NAME}`);
    const [exchange] = posted('token');
    expect(exchange?.get('grant_type')).toBe('authorization_code');
    expect(exchange?.get('code_verifier')).toBe(started.codeVerifier);

    expect(await connectionOf(flow.server.api, connectionId)).toMatchObject({
      provider: 'salesforce',
      status: 'active',
      account: { id: ORG_ID, name: ORG_NAME },
      scopes: ['api', 'refresh_token'],
    });
    const created = await flow.consumer.event('connection.created');
    expect(created.data).toMatchObject({ connection: { id: connectionId, status: 'active' } });
  });

  it('hands out the stored access token, which works against the org, without asking Salesforce', async () => {
    const before = network.requests.length;

    const token = await flow.tokens.getAccessToken(TENANT, connectionId);

    firstAccessToken = token.accessToken;
    expect(salesforce.holdsAccessToken(firstAccessToken)).toBe(true);
    expect(token.extra).toMatchObject({
      instanceUrl: 'https://acme.my.salesforce.com',
      organizationId: ORG_ID,
    });
    expect(network.requests).toHaveLength(before);
  });

  it('refreshes an expired token once for concurrent callers and stores the rotated refresh token', async () => {
    const firstRefreshToken = await storedRefreshToken(connectionId);
    const refreshesBefore = posted('token').length;
    flow.clock.advance(PAST_EXPIRY_MS);

    const answers = await Promise.all([
      flow.tokens.getAccessToken(TENANT, connectionId),
      flow.tokens.getAccessToken(TENANT, connectionId),
    ]);

    const [answer] = answers;
    expect(answer?.accessToken).not.toBe(firstAccessToken);
    expect(answers[1]?.accessToken).toBe(answer?.accessToken);
    expect(salesforce.holdsAccessToken(answer?.accessToken ?? '')).toBe(true);
    const refreshes = posted('token').slice(refreshesBefore);
    expect(refreshes.map((form) => form.get('grant_type'))).toEqual(['refresh_token']);
    expect(refreshes[0]?.get('refresh_token')).toBe(firstRefreshToken);
    const stored = await flow.server.secrets.read(TENANT, connectionId);
    expect(stored?.version).toBe(2);
    const rotated = stored?.tokens.refreshToken ?? '';
    expect(rotated).not.toBe(firstRefreshToken);
    expect(salesforce.holdsRefreshToken(rotated)).toBe(true);
    expect(salesforce.holdsRefreshToken(firstRefreshToken)).toBe(false);
  });

  it('marks the connection needs_reauth once its grant is revoked in Salesforce, and tells the webhook once', async () => {
    // An admin revokes the app's access in Salesforce Setup.
    const revoked = await fetch(`${LOGIN_URL}/services/oauth2/revoke`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: await storedRefreshToken(connectionId) }),
    });
    expect(revoked.status).toBe(200);
    flow.clock.advance(PAST_EXPIRY_MS);

    await flow.expectNeedsReauthOnce(connectionId);
  });

  it('disconnects: revokes the grant at Salesforce, then forgets the connection and its tokens', async () => {
    const { started, code } = await connectOrg();
    codes.push(code);
    // The token provider's clock is ahead: this refreshes, rotating the refresh token.
    const { accessToken } = await flow.tokens.getAccessToken(TENANT, started.connectionId);
    const refreshToken = await storedRefreshToken(started.connectionId);
    const revocationsBefore = posted('revoke').length;

    await disconnect(flow.server.api, started.connectionId);
    // The first connection's grant is revoked already; Salesforce's refusal is no failure.
    await disconnect(flow.server.api, connectionId);

    const revocations = posted('revoke').slice(revocationsBefore);
    expect(revocations.map((form) => form.get('token'))).toEqual([
      refreshToken,
      expect.any(String),
    ]);
    expect(salesforce.holdsRefreshToken(refreshToken)).toBe(false);
    expect(salesforce.holdsAccessToken(accessToken)).toBe(false);
    for (const id of [started.connectionId, connectionId]) {
      expect(await connectionOf(flow.server.api, id)).toBeUndefined();
      expect(await hasStoredTokens(flow.server, id)).toBe(false);
    }
    const event = await flow.consumer.event('connection.revoked');
    expect(event.data).toMatchObject({ connection: { status: 'revoked' } });
  });

  it('shows a page naming the refusal when Salesforce refuses a code, and refuses a replayed callback', async () => {
    network.answer(...salesforce.handlers());
    const started = await flow.startConnecting('salesforce');
    salesforce.approve(started.authorizationUrl.toString());
    const forged = `aPrx${'Q'.repeat(32)}`;
    codes.push(forged);

    const refused = await callback(flow.server.api, 'salesforce', {
      code: forged,
      state: started.state,
    });
    const replayed = await callback(flow.server.api, 'salesforce', {
      code: forged,
      state: started.state,
    });
    const denied = await flow.startConnecting('salesforce');
    const declined = await callback(flow.server.api, 'salesforce', {
      state: denied.state,
      error: 'access_denied',
      error_description: 'end-user denied authorization',
    });

    expect(refused.status).toBe(400);
    expect(refused.body).toContain('invalid_grant');
    expect(replayed.status).toBe(400);
    expect(replayed.body).toContain('This connection link is not valid.');
    expect(declined.status).toBe(400);
    expect(declined.body).toContain('Salesforce did not grant access (access_denied');
    expect(await connectionOf(flow.server.api, denied.connectionId)).toBeUndefined();
  });

  it('shows no token, code, PKCE verifier or client secret in logs, metrics, answers, pages, errors or the database', async () => {
    expect(JSON.stringify(flow.logLines())).toContain(
      '/oauth/salesforce/callback?code=[redacted]&state=',
    );

    const secrets = await flow.expectNoSecretShows([CLIENT_SECRET, ...codes]);

    expect(secrets).toEqual(
      expect.arrayContaining([CLIENT_SECRET, firstAccessToken, ...codes, ...flow.verifiers]),
    );
  });
});
