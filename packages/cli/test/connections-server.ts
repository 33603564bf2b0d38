import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import {
  type ConnectionProvider,
  generateApiKeySecret,
  hashApiKeySecret,
  PrismService,
  type WatchFlows,
} from '@prism/sdk';
// The connection hub and its provider interface are not exported by @prism/server; the tests
// build the server from its sources so that every type comes from the same files.
import { ConnectionHub } from '../../server/src/connections/hub.js';
import type {
  ConnectedAccount,
  ConnectionTokens,
  OAuthProvider,
} from '../../server/src/connections/types.js';
import { Vault } from '../../server/src/connections/vault.js';
import { buildServer } from '../../server/src/server.js';
import { openStore } from '../../server/src/store/open-store.js';
import type { SqlStore } from '../../server/src/store/sql-store.js';

/** The access token every scripted provider hands over when a code is exchanged. */
export const SCRIPTED_ACCESS_TOKEN = 'xoxb-access-0123456789-secret';

/** How to start a connections server. */
export interface ConnectionsServerOptions {
  /** The providers the server has settings for; only Slack by default. */
  providers?: readonly ConnectionProvider[];
  /** The account every provider reports as connected; Acme Corp (T0001) by default. */
  account?: ConnectedAccount;
  /** The server side of watches; none by default (creating a watch answers 501). */
  watchFlows?: WatchFlows;
}

/** A Prism server on a free loopback port whose OAuth providers are scripted. */
export interface ConnectionsServer {
  /** Its base URL. */
  url: string;
  /** An org_admin API key of tenant `tenant-a`. */
  apiKey: string;
  /** Adds an org_admin API key of `tenantId` and returns its secret. */
  createApiKey(tenantId: string): Promise<string>;
  /** The tokens `provider` has been asked to revoke so far, oldest first. */
  revoked(provider: ConnectionProvider): readonly ConnectionTokens[];
  /** The server's store, for what only the server's own background work changes. */
  store: SqlStore;
  /** Stops the server and closes its store. */
  close(): Promise<void>;
}

/** A scripted provider and the tokens it was asked to revoke. */
interface ScriptedProvider {
  provider: OAuthProvider;
  /** The tokens it was asked to revoke, oldest first. */
  revoked: ConnectionTokens[];
}

/**
 * A provider of Prism's own interface whose authorization URL carries the state and the code
 * challenge, and whose every code exchange connects `account`.
 */
function scriptedProvider(name: ConnectionProvider, account: ConnectedAccount): ScriptedProvider {
  const revoked: ConnectionTokens[] = [];
  const provider: OAuthProvider = {
    name,
    supportsPkce: true,
    async authorizationUrl(request) {
      const url = new URL(`https://${name}.example/authorize`);
      url.searchParams.set('state', request.state);
      url.searchParams.set('code_challenge', request.codeChallenge);
      return url.toString();
    },
    async exchangeCode() {
      return {
        tokens: {
          accessToken: SCRIPTED_ACCESS_TOKEN,
          refreshToken: 'xoxe-1-refresh-secret',
          expiresAt: '2026-11-29T13:00:00.000Z',
          extra: {},
        },
        account,
        scopes: ['chat:write', 'commands'],
      };
    },
    async refresh(tokens) {
      return tokens;
    },
    async revoke(tokens) {
      revoked.push(tokens);
    },
  };
  return { provider, revoked };
}

/** Inserts an org_admin API key of `tenantId` and returns its secret. */
async function insertApiKey(store: SqlStore, tenantId: string): Promise<string> {
  const secret = generateApiKeySecret();
  await store.apiKeys.insert({
    id: `key_${randomBytes(6).toString('hex')}`,
    tenantId,
    name: 'admin',
    prefix: secret.slice(0, 13),
    role: 'org_admin',
    createdAt: new Date().toISOString(),
    lastUsedAt: null,
    revokedAt: null,
    secretHash: hashApiKeySecret(secret),
  });
  return secret;
}

/**
 * Starts Prism in-process on an embedded database, with a connection hub whose providers are
 * scripted (and the watch flows given), and gives it an org_admin API key of `tenant-a`.
 */
export async function startConnectionsServer(
  options: ConnectionsServerOptions = {},
): Promise<ConnectionsServer> {
  const account = options.account ?? { id: 'T0001', name: 'Acme Corp' };
  const scripted = new Map(
    (options.providers ?? ['slack']).map((name) => [name, scriptedProvider(name, account)]),
  );
  const store = await openStore();
  const closers: Array<() => Promise<unknown>> = [() => store.close()];
  const close = async () => {
    for (const closer of closers.splice(0).reverse()) await closer();
  };
  try {
    const hub = new ConnectionHub({
      client: store.client,
      vault: new Vault(`k1:${randomBytes(32).toString('base64')}`),
      publicUrl: 'https://prism.example.com',
      providers: Object.fromEntries([...scripted].map(([name, { provider }]) => [name, provider])),
    });
    const service = new PrismService({
      store,
      connectionFlows: hub,
      ...(options.watchFlows === undefined ? {} : { watchFlows: options.watchFlows }),
    });
    closers.push(() => service.close());
    const app = await buildServer({ service, connections: hub });
    closers.push(() => app.close());
    await app.listen({ port: 0, host: '127.0.0.1' });
    return {
      url: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`,
      apiKey: await insertApiKey(store, 'tenant-a'),
      createApiKey: (tenantId) => insertApiKey(store, tenantId),
      revoked: (name) => scripted.get(name)?.revoked ?? [],
      store,
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
