import { randomBytes, randomUUID } from 'node:crypto';
import type { AuditEvent } from '@prism/sdk';
import type { HttpResponse } from 'msw';
import { describe, expect, it, vi } from 'vitest';
import {
  CLIENT_ID,
  CLIENT_SECRET,
  entraError,
  entraJson,
  graphAccessToken,
  LOGIN,
  onToken,
  REDIRECT_URI,
  TENANT_ID,
  USER_OID,
  userTokenResponse,
} from '../providers/microsoft-entra.js';
import { useFlowServer } from './flow-context.js';
import { TENANT } from './flow-server.js';
import {
  auditOf,
  callback,
  challengeOf,
  connectionOf,
  disconnect,
  hasStoredTokens,
} from './flow-steps.js';
import { setupProviderNetwork } from './provider-network.js';

vi.mock('../../../src/server.js', async (importOriginal) =>
  (await import('./built-servers.js')).recordBuiltServers(await importOriginal()),
);

// Creating an embedded database takes several seconds.
vi.setConfig({ hookTimeout: 60_000 });

const GRANTED = 'Files.ReadWrite.All Sites.ReadWrite.All User.Read openid profile email';
const HOUR = 3_600_000;

/** A credential as Entra ID shapes its codes and refresh tokens, `kind` telling them apart. */
function entraSecret(kind: string): string {
  return `1.AXEAxNL3s45aG0-cbS4Ke0yNkXbeMWemFK5Jl7xuuplpOR5xAMA.AgAB${kind}${randomBytes(24).toString('base64url')}`;
}

const network = setupProviderNetwork();
const flow = useFlowServer(network, {
  MICROSOFT_CLIENT_ID: CLIENT_ID,
  MICROSOFT_CLIENT_SECRET: CLIENT_SECRET,
});

/** Entra ID's token endpoint redeeming `code` for these tokens, and nothing else. */
function redeems(
  code: string,
  tokens: { accessToken: string; refreshToken: string },
  seen: URLSearchParams[] = [],
) {
  return onToken('common', (form): HttpResponse<string> => {
    seen.push(form);
    if (form.get('grant_type') !== 'authorization_code' || form.get('code') !== code) {
      return entraError(
        400,
        'invalid_grant',
        70000,
        'The provided value for the code is not valid.',
      );
    }
    return entraJson(userTokenResponse({ ...tokens, scope: GRANTED }));
  });
}

/**
 * Connects an account (or, given `connectionId`, connects it again): the flow started, the
 * user signs in, Entra ID redirects back.
 */
async function connectAccount(accessToken: string, refreshToken: string, connectionId?: string) {
  const started = await flow.startConnecting('microsoft', connectionId);
  const code = entraSecret('BAIA');
  const seen: URLSearchParams[] = [];
  network.answer(redeems(code, { accessToken, refreshToken }, seen));
  const page = await callback(flow.server.api, 'microsoft', {
    code,
    state: started.state,
    session_state: randomUUID(),
  });
  return { started, page, seen };
}

describe('a Microsoft account connected through a running server', () => {
  const firstAccessToken = graphAccessToken(GRANTED);
  const secondAccessToken = graphAccessToken(GRANTED);
  const firstRefreshToken = entraSecret('AwEA');
  const rotatedRefreshToken = entraSecret('AwEB');
  let connectionId: string;

  it('connects: the authorization URL with PKCE, the callback, then active with the tenant and scopes', async () => {
    const { started, page, seen } = await connectAccount(firstAccessToken, firstRefreshToken);
    connectionId = started.connectionId;

    const url = started.authorizationUrl;
    expect(`${url.origin}${url.pathname}`).toBe(`${LOGIN}/common/oauth2/v2.0/authorize`);
    expect(url.searchParams.get('client_id')).toBe(CLIENT_ID);
    expect(url.searchParams.get('redirect_uri')).toBe(REDIRECT_URI);
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(url.searchParams.get('code_challenge')).toBe(challengeOf(started.codeVerifier));
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.body).toContain('Prism is connected to contoso.com');
    expect(seen).toHaveLength(1);
    expect(seen[0]?.get('code_verifier')).toBe(started.codeVerifier);
    expect(seen[0]?.get('redirect_uri')).toBe(REDIRECT_URI);

    expect(await connectionOf(flow.server.api, connectionId)).toMatchObject({
      provider: 'microsoft',
      status: 'active',
      account: { id: TENANT_ID, name: 'contoso.com' },
      scopes: expect.arrayContaining(['Files.ReadWrite.All', 'Sites.ReadWrite.All', 'User.Read']),
    });
    const created = await flow.consumer.event('connection.created');
    expect(created.data).toMatchObject({ connection: { id: connectionId, status: 'active' } });
  });

  it('hands out the stored access token while it is fresh, without asking Entra ID', async () => {
    const before = network.requests.length;

    const token = await flow.tokens.getAccessToken(TENANT, connectionId);

    expect(token.accessToken).toBe(firstAccessToken);
    expect(token.extra).toMatchObject({ homeAccountId: `${USER_OID}.${TENANT_ID}` });
    expect(token.extra).not.toHaveProperty('msalCache');
    expect(network.requests).toHaveLength(before);
  });

  it('refreshes an expired token once for concurrent callers and stores the rotated refresh token', async () => {
    const refreshes: URLSearchParams[] = [];
    network.answer(
      onToken(TENANT_ID, (form) => {
        refreshes.push(form);
        if (form.get('refresh_token') !== firstRefreshToken) {
          return entraError(400, 'invalid_grant', 70008, 'The refresh token has expired.');
        }
        return entraJson(
          userTokenResponse({
            accessToken: secondAccessToken,
            refreshToken: rotatedRefreshToken,
            scope: GRANTED,
          }),
        );
      }),
    );
    flow.clock.advance(2 * HOUR);

    const answers = await Promise.all([
      flow.tokens.getAccessToken(TENANT, connectionId),
      flow.tokens.getAccessToken(TENANT, connectionId),
      flow.tokens.getAccessToken(TENANT, connectionId),
    ]);

    expect(answers.map((answer) => answer.accessToken)).toEqual([
      secondAccessToken,
      secondAccessToken,
      secondAccessToken,
    ]);
    expect(refreshes).toHaveLength(1);
    expect(refreshes[0]?.get('grant_type')).toBe('refresh_token');
    const stored = await flow.server.secrets.read(TENANT, connectionId);
    expect(stored?.version).toBe(2);
    expect(stored?.tokens.refreshToken).toBe(rotatedRefreshToken);
    expect(stored?.tokens.extra.msalCache).toContain(rotatedRefreshToken);
    expect(stored?.tokens.extra.msalCache).not.toContain(firstRefreshToken);
    expect((await connectionOf(flow.server.api, connectionId))?.expiresAt).toBe(
      answers[0]?.expiresAt,
    );
  });

  it('marks the connection needs_reauth when Entra ID refuses the refresh token, and tells the webhook once', async () => {
    network.answer(
      onToken(TENANT_ID, () =>
        entraError(
          400,
          'invalid_grant',
          700082,
          'The refresh token has expired due to inactivity. The token was issued on 2026-02-01T09:00:00.0000000Z and was inactive for 90.00:00:00.',
        ),
      ),
    );
    flow.clock.advance(2 * HOUR);

    const { refused, event } = await flow.expectNeedsReauthOnce(connectionId);

    expect(refused).toMatchObject({ hint: expect.stringContaining('again') });
    expect(event.headers['webhook-signature']).toMatch(/^v1,/);
    expect(await auditOf(flow.server.api)).toContainEqual(
      expect.objectContaining<Partial<AuditEvent>>({
        action: 'connection.needs_reauth',
        target: { type: 'connection', id: connectionId },
        actor: expect.objectContaining({ type: 'system' }),
      }),
    );
  });

  it('connects the account again under the same id: active, new tokens, told to the webhook', async () => {
    const reconnectedToken = graphAccessToken(GRANTED);
    const { page } = await connectAccount(reconnectedToken, entraSecret('AwED'), connectionId);

    expect(page.status).toBe(200);
    expect(page.body).toContain('Prism is connected to contoso.com');
    expect(await connectionOf(flow.server.api, connectionId)).toMatchObject({
      status: 'active',
      account: { id: TENANT_ID, name: 'contoso.com' },
    });
    const stored = await flow.server.secrets.read(TENANT, connectionId);
    expect(stored?.tokens.accessToken).toBe(reconnectedToken);
    expect(stored?.version).toBe(3);
    const event = await flow.consumer.event('connection.reauthorized');
    expect(event.data).toMatchObject({ connection: { id: connectionId, status: 'active' } });
    const audit = await auditOf(flow.server.api);
    expect(audit).toContainEqual(
      expect.objectContaining<Partial<AuditEvent>>({
        action: 'connection.reauthorized',
        target: { type: 'connection', id: connectionId },
      }),
    );
  });

  it('disconnects: nothing to revoke at Microsoft, the tokens are forgotten', async () => {
    const { started } = await connectAccount(graphAccessToken(GRANTED), entraSecret('AwEC'));
    const before = network.requests.length;

    await disconnect(flow.server.api, started.connectionId);
    await disconnect(flow.server.api, connectionId);

    // Microsoft has no revocation endpoint for delegated tokens: nothing is called.
    expect(network.requests).toHaveLength(before);
    for (const id of [started.connectionId, connectionId]) {
      expect(await connectionOf(flow.server.api, id)).toBeUndefined();
      expect(await hasStoredTokens(flow.server, id)).toBe(false);
    }
    const revoked = await flow.consumer.event('connection.revoked');
    expect(revoked.data).toMatchObject({ connection: { status: 'revoked' } });
  });

  it('shows a page naming the refusal, not the code, when Entra ID refuses it, and refuses a replayed callback', async () => {
    const started = await flow.startConnecting('microsoft');
    const code = entraSecret('BAIB');
    network.answer(
      onToken('common', () =>
        entraError(
          400,
          'invalid_grant',
          70008,
          'The provided authorization code or refresh token has expired due to inactivity.',
        ),
      ),
    );

    const refused = await callback(flow.server.api, 'microsoft', { code, state: started.state });
    const replayed = await callback(flow.server.api, 'microsoft', { code, state: started.state });
    const denied = await flow.startConnecting('microsoft');
    const declined = await callback(flow.server.api, 'microsoft', {
      state: denied.state,
      error: 'access_denied',
      error_description: 'AADSTS65004: User declined to consent to access the app.',
    });

    expect(refused.status).toBe(400);
    expect(refused.body).toContain('AADSTS70008');
    // Its state is spent, so the pending connection could never complete: it is removed.
    expect(await connectionOf(flow.server.api, started.connectionId)).toBeUndefined();
    expect(replayed.status).toBe(400);
    expect(replayed.body).toContain('This connection link is not valid.');
    expect(declined.status).toBe(400);
    expect(declined.body).toContain('Microsoft did not grant access (access_denied');
    expect(await connectionOf(flow.server.api, denied.connectionId)).toBeUndefined();
  });

  it('shows no token, code, PKCE verifier or client secret in logs, metrics, answers, pages, errors or the database', async () => {
    const logLines = flow.logLines();
    expect(logLines.some((line) => line.msg === 'incoming request')).toBe(true);
    // The callback's request line is logged, with the code redacted.
    expect(JSON.stringify(logLines)).toContain('/oauth/microsoft/callback?code=[redacted]&state=');

    const secrets = await flow.expectNoSecretShows([CLIENT_SECRET]);

    expect(secrets).toEqual(
      expect.arrayContaining([
        CLIENT_SECRET,
        firstAccessToken,
        secondAccessToken,
        firstRefreshToken,
        rotatedRefreshToken,
        ...flow.verifiers,
      ]),
    );
  });
});
