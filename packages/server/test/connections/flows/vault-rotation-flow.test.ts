import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { type ConnectionProvider, generateApiKeySecret } from '@prism/sdk';
import { HttpResponse } from 'msw';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { rotateVault } from '../../../src/connections/rotate-vault.js';
import { Vault } from '../../../src/connections/vault.js';
import { openStore } from '../../../src/store/open-store.js';
import * as entra from '../providers/microsoft-entra.js';
import * as sfdc from '../providers/salesforce-fake.js';
import * as slack from '../providers/slack-fixtures.js';
import { Exposures } from './exposures.js';
import {
  captureStdout,
  encryptionKey,
  type FlowServer,
  MovableClock,
  newDataDir,
  type StdoutCapture,
  startFlowServer,
  TENANT,
} from './flow-server.js';
import { callback, connectionOf, type StartedFlow, startConnecting } from './flow-steps.js';
import { setupProviderNetwork } from './provider-network.js';
import { expectNoSecretShows } from './sweep.js';

vi.mock('../../../src/server.js', async (importOriginal) =>
  (await import('./built-servers.js')).recordBuiltServers(await importOriginal()),
);

// Creating an embedded database takes several seconds; some steps restart the server.
vi.setConfig({ hookTimeout: 60_000, testTimeout: 60_000 });

const GRANTED = 'Files.ReadWrite.All Sites.ReadWrite.All User.Read openid profile email';
/** Longer than every provider's access tokens last (Slack's rotating ones: 12 hours). */
const PAST_EVERY_EXPIRY_MS = 13 * 3_600_000;
/** Longer than a Salesforce access token is taken to last, shorter than the others'. */
const PAST_SALESFORCE_EXPIRY_MS = 20 * 60_000;

const OLD_KEY = encryptionKey('key-old');
const NEW_KEY = encryptionKey('key-new');
const PROVIDERS: ConnectionProvider[] = ['microsoft', 'salesforce', 'slack'];
const SETTINGS = {
  MICROSOFT_CLIENT_ID: entra.CLIENT_ID,
  MICROSOFT_CLIENT_SECRET: entra.CLIENT_SECRET,
  SALESFORCE_CLIENT_ID: sfdc.CLIENT_ID,
  SALESFORCE_CLIENT_SECRET: sfdc.CLIENT_SECRET,
  SLACK_CLIENT_ID: slack.CLIENT_ID,
  SLACK_CLIENT_SECRET: slack.CLIENT_SECRET,
};

const network = setupProviderNetwork();
const exposures = new Exposures();
const adminKey = generateApiKeySecret();
const salesforce = new sfdc.FakeSalesforce({ rotateRefreshTokens: true });
const verifiers: string[] = [];
let dataDir: string;
let stdout: StdoutCapture;
let server: FlowServer | undefined;

/** A new Entra ID code or refresh token. */
function entraSecret(): string {
  return `1.AXEAxNL3s45aG0-cbS4Ke0yNkXbeMWemFK5Jl7xuuplpOR5xAMA.AgAB${randomBytes(24).toString('base64url')}`;
}

/** Entra ID's refresh token of the Microsoft connection: each refresh rotates it. */
let microsoftRefreshToken = entraSecret();

/** Entra ID, Salesforce and Slack, answering every step of the file. */
function answerAllProviders(): void {
  network.answer(
    ...salesforce.handlers(),
    entra.onToken('common', () =>
      entra.entraJson(
        entra.userTokenResponse({
          accessToken: entra.graphAccessToken(GRANTED),
          refreshToken: microsoftRefreshToken,
          scope: GRANTED,
        }),
      ),
    ),
    entra.onToken(entra.TENANT_ID, (form) => {
      if (form.get('refresh_token') !== microsoftRefreshToken) {
        return entra.entraError(400, 'invalid_grant', 70008, 'The refresh token has expired.');
      }
      microsoftRefreshToken = entraSecret();
      return entra.entraJson(
        entra.userTokenResponse({
          accessToken: entra.graphAccessToken(GRANTED),
          refreshToken: microsoftRefreshToken,
          scope: GRANTED,
        }),
      );
    }),
  );
  slack.answerSlack(network.server, {
    [slack.SLACK_API.oauthV2Access]: (form) => {
      if (form.get('grant_type') !== 'refresh_token') {
        return HttpResponse.json(slack.ROTATING_INSTALL);
      }
      const refreshToken = form.get('refresh_token');
      const user =
        refreshToken === slack.USER_REFRESH_TOKEN ||
        refreshToken === slack.ROTATED_USER_REFRESH_TOKEN;
      return HttpResponse.json(slack.rotationAnswer(user ? 'user' : 'bot'));
    },
    [slack.SLACK_API.authTest]: () => HttpResponse.json(slack.WORKSPACE_AUTH_TEST),
  });
}

/** Stops the running server, if any, and starts one with `encryptionKeys`. */
async function restart(encryptionKeys: string): Promise<FlowServer> {
  await server?.running.close();
  server = undefined;
  server = await startFlowServer(
    { dataDir, encryptionKeys, adminKey, providers: SETTINGS },
    exposures,
  );
  return server;
}

/** Starts a flow on the running server, keeping its verifier among the secrets. */
async function startFlow(running: FlowServer, provider: ConnectionProvider): Promise<StartedFlow> {
  const started = await startConnecting(running, provider);
  verifiers.push(started.codeVerifier);
  return started;
}

/** The code the provider sends back once the user approved the flow. */
function approve(provider: ConnectionProvider, started: StartedFlow): string {
  if (provider === 'salesforce') return salesforce.approve(started.authorizationUrl.toString());
  return provider === 'slack' ? slack.CODE : entraSecret();
}

/** The key each connection's tokens and each pending flow's verifier are encrypted under. */
async function keysInUse(running: FlowServer): Promise<string[]> {
  const { rows } = await running.store.client.query<{ key_id: string }>(
    `SELECT key_id FROM connection_secrets
     UNION ALL SELECT verifier_key_id FROM oauth_states ORDER BY 1`,
  );
  return rows.map((row) => row.key_id);
}

beforeAll(async () => {
  dataDir = await newDataDir();
  stdout = captureStdout();
  await restart(OLD_KEY);
});
afterAll(async () => {
  await server?.running.close();
  stdout?.restore();
  if (dataDir !== undefined) await rm(dataDir, { recursive: true, force: true });
});

describe('replacing the encryption key of a server with connected accounts', () => {
  const connectionIds = new Map<ConnectionProvider, string>();
  let pending: StartedFlow;

  it('connects a Microsoft account, a Salesforce org and a Slack workspace under the old key', async () => {
    const running = server as FlowServer;
    answerAllProviders();

    for (const provider of PROVIDERS) {
      const started = await startFlow(running, provider);
      const code = approve(provider, started);
      const page = await callback(running.api, provider, { code, state: started.state });
      expect(page.status).toBe(200);
      connectionIds.set(provider, started.connectionId);
    }
    // A flow the user has not finished yet: its verifier is kept under the old key too.
    pending = await startFlow(running, 'salesforce');

    expect(await keysInUse(running)).toEqual(['key-old', 'key-old', 'key-old', 'key-old']);
  });

  it('reads the old tokens with the new key listed first, and writes refreshed ones under it', async () => {
    const running = await restart(`${NEW_KEY},${OLD_KEY}`);
    const clock = new MovableClock();
    const tokens = running.tokenProvider(clock.now);

    for (const provider of PROVIDERS) {
      const token = await tokens.getAccessToken(TENANT, connectionIds.get(provider) ?? '');
      expect(token.accessToken).not.toBe('');
    }
    clock.advance(PAST_SALESFORCE_EXPIRY_MS);
    const refreshed = await tokens.getAccessToken(TENANT, connectionIds.get('salesforce') ?? '');

    expect(salesforce.holdsAccessToken(refreshed.accessToken)).toBe(true);
    expect(await keysInUse(running)).toEqual(['key-new', 'key-old', 'key-old', 'key-old']);
  });

  it('re-encrypts every token and pending flow under the new key (prism vault rotate)', async () => {
    await server?.running.close();
    server = undefined;
    const store = await openStore({ dataDir });
    try {
      const rotation = await rotateVault(store.client, new Vault(`${NEW_KEY},${OLD_KEY}`));

      expect(rotation).toEqual({
        keyId: 'key-new',
        connectionSecrets: 2,
        oauthStates: 1,
        sharePointWatches: 0,
        fromKeys: { 'key-old': 3 },
        remaining: 0,
      });
    } finally {
      await store.close();
    }
  });

  it('serves every connection with only the new key after a restart: tokens, refreshes, and the flow started before', async () => {
    const running = await restart(NEW_KEY);
    const clock = new MovableClock();
    const tokens = running.tokenProvider(clock.now);
    expect(await keysInUse(running)).toEqual(['key-new', 'key-new', 'key-new', 'key-new']);

    for (const provider of PROVIDERS) {
      const id = connectionIds.get(provider) ?? '';
      const stored = await running.secrets.read(TENANT, id);
      expect((await tokens.getAccessToken(TENANT, id)).accessToken).toBe(
        stored?.tokens.accessToken,
      );
    }
    clock.advance(PAST_EVERY_EXPIRY_MS);
    for (const provider of PROVIDERS) {
      const id = connectionIds.get(provider) ?? '';
      const before = await running.secrets.read(TENANT, id);
      const refreshed = await tokens.getAccessToken(TENANT, id);
      const after = await running.secrets.read(TENANT, id);
      expect(refreshed.accessToken).not.toBe(before?.tokens.accessToken);
      expect(after?.version).toBe((before?.version ?? 0) + 1);
    }
    const page = await callback(running.api, 'salesforce', {
      code: approve('salesforce', pending),
      state: pending.state,
    });
    expect(page.status).toBe(200);
    expect((await connectionOf(running.api, pending.connectionId))?.status).toBe('active');
  });

  it('shows no token, code, PKCE verifier or client secret anywhere, across the restarts', async () => {
    const running = server as FlowServer;

    await expectNoSecretShows({
      server: running,
      stdout,
      exposures,
      network,
      dataDir,
      secrets: [entra.CLIENT_SECRET, sfdc.CLIENT_SECRET, slack.CLIENT_SECRET, ...verifiers],
    });
  });
});
