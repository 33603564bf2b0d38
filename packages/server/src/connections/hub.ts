import type {
  Actor,
  AuthorizationStart,
  Connection,
  ConnectionFlows,
  ConnectionLifecycle,
  ConnectionProvider,
} from '@prism/sdk';
import type { SqlClient } from '../store/sql-client.js';
import { ConnectionSecrets } from './connection-secrets.js';
import { OAuthStates } from './oauth-states.js';
import { OAuthError, type OAuthProvider } from './types.js';
import type { Vault } from './vault.js';

/** What the connection hub is made of. */
export interface ConnectionHubOptions {
  /** The database of `oauth_states` and `connection_secrets`. */
  client: SqlClient;
  /** Encrypts tokens and PKCE verifiers; without it, no account can be connected. */
  vault: Vault | undefined;
  /** `PRISM_PUBLIC_URL`: redirect URIs are `<publicUrl>/oauth/<provider>/callback`. */
  publicUrl: string | undefined;
  /** The providers that have their settings. */
  providers: Partial<Record<ConnectionProvider, OAuthProvider>>;
  /** The clock. */
  now?: () => Date;
  /**
   * Told of each connection a flow made active, new or connected again (connectors catch up
   * then); what it throws or rejects with is not the flow's failure.
   */
  onConnected?: (connection: Connection) => unknown;
}

/** A flow completed at its callback. */
export interface CompletedFlow {
  /** The connection, now active. */
  connection: Connection;
  /** Where the user asked to go afterwards, if anywhere. */
  returnUrl: string | null;
}

/** Records a tenant's connection changes as the user who started the flow. */
export type LifecycleOf = (tenantId: string, actor: Actor) => ConnectionLifecycle;

/**
 * The server's OAuth flows (`ConnectionFlows` for the service): starts a flow with a single-use
 * state and PKCE, completes it at the callback (the code exchanged, the tokens encrypted into
 * the vault, the connection activated), and revokes at the provider on delete.
 */
export class ConnectionHub implements ConnectionFlows {
  readonly #providers: Partial<Record<ConnectionProvider, OAuthProvider>>;
  readonly #publicUrl: string | undefined;
  readonly #states: OAuthStates | undefined;
  readonly #secrets: ConnectionSecrets | undefined;
  readonly #onConnected: ConnectionHubOptions['onConnected'];

  constructor(options: ConnectionHubOptions) {
    this.#providers = options.providers;
    this.#onConnected = options.onConnected;
    this.#publicUrl = options.publicUrl;
    if (options.vault !== undefined) {
      this.#states = new OAuthStates(options.client, options.vault, options.now);
      this.#secrets = new ConnectionSecrets(options.client, options.vault);
    }
  }

  /** The encrypted tokens of connections, for the token provider; none without a vault. */
  get secrets(): ConnectionSecrets | undefined {
    return this.#secrets;
  }

  async authorize(
    connection: Connection,
    options: { actor: Actor; returnUrl?: string },
  ): Promise<AuthorizationStart> {
    const { provider, states } = this.#ready(connection.provider);
    const started = await states.start({
      tenantId: connection.tenantId,
      actorId: actorKey(options.actor),
      provider: connection.provider,
      connectionId: connection.id,
      returnUrl: options.returnUrl,
    });
    const authorizationUrl = await provider.authorizationUrl({
      state: started.state,
      codeChallenge: started.codeChallenge,
      redirectUri: this.redirectUri(connection.provider),
    });
    return { authorizationUrl, expiresAt: started.expiresAt.toISOString() };
  }

  /**
   * Completes a flow at `<publicUrl>/oauth/<provider>/callback` with the callback's query: a new
   * connection becomes active; one connected again (`reauthorize`) gets the new tokens over its
   * old ones and becomes active again.
   *
   * @throws {OAuthError} `oauth_state_invalid` for a missing, reused, expired or foreign state;
   *   `provider_error` when the provider answered with an error (a pending connection is then
   *   removed; one being connected again stays as it was) or refused the code;
   *   `account_mismatch` when a connection was connected again with another account (nothing
   *   changes, the new grant is revoked); `provider_unavailable`.
   */
  async complete(
    providerName: ConnectionProvider,
    query: Readonly<Record<string, string>>,
    lifecycleOf: LifecycleOf,
  ): Promise<CompletedFlow> {
    const { provider, states, secrets } = this.#ready(providerName);
    const flow = await states.consume(query.state, providerName);
    const lifecycle = lifecycleOf(flow.tenantId, actorOf(flow.actorId));
    if (query.error !== undefined) {
      await lifecycle.abandoned(flow.connectionId);
      const detail = query.error_description ? `: ${query.error_description}` : '';
      throw new OAuthError(
        'provider_error',
        `${providerLabel(providerName)} did not grant access (${query.error}${detail}).`,
        { hint: 'Start connecting again, and approve the access Prism asks for.' },
      );
    }
    if (!query.code) {
      await lifecycle.abandoned(flow.connectionId);
      throw new OAuthError('provider_error', 'The callback has no authorization code.', {
        hint: 'Start connecting again from Prism.',
      });
    }
    // The state is spent: a connection whose code is refused can never complete.
    const exchanged = await provider
      .exchangeCode({
        code: query.code,
        codeVerifier: flow.codeVerifier,
        redirectUri: this.redirectUri(providerName),
        query,
      })
      .catch(async (error: unknown) => {
        await lifecycle.abandoned(flow.connectionId);
        throw error;
      });
    const grant = {
      account: exchanged.account,
      scopes: exchanged.scopes,
      expiresAt: exchanged.tokens.expiresAt,
    };
    const existing = await lifecycle.find(flow.connectionId);
    let connection: Connection | undefined;
    if (existing === undefined || existing.status === 'pending') {
      await secrets.create(flow.tenantId, flow.connectionId, exchanged.tokens);
      connection = await lifecycle.activated(flow.connectionId, grant);
    } else {
      if (existing.account !== null && existing.account.id !== exchanged.account.id) {
        await provider.revoke(exchanged.tokens).catch(() => undefined);
        throw accountMismatch(providerName, existing.account, exchanged.account);
      }
      await secrets.overwrite(flow.tenantId, flow.connectionId, exchanged.tokens);
      connection = await lifecycle.reauthorized(flow.connectionId, grant);
    }
    if (connection === undefined) {
      // Deleted while the user was at the provider: nothing to keep the tokens for.
      await secrets.delete(flow.tenantId, flow.connectionId);
      await provider.revoke(exchanged.tokens).catch(() => undefined);
      throw new OAuthError('oauth_state_invalid', 'The connection was deleted meanwhile.', {
        hint: 'Start connecting again from Prism.',
      });
    }
    this.#tellConnected(connection);
    return { connection, returnUrl: flow.returnUrl };
  }

  /** Tells `onConnected` without waiting for it; its failure is its own to report. */
  #tellConnected(connection: Connection): void {
    const listener = this.#onConnected;
    if (listener === undefined) return;
    void (async () => listener(connection))().catch(() => undefined);
  }

  async revoke(connection: Connection): Promise<void> {
    const provider = this.#providers[connection.provider];
    const stored = await this.#secrets?.read(connection.tenantId, connection.id);
    if (stored !== undefined && provider !== undefined) await provider.revoke(stored.tokens);
    await this.#secrets?.delete(connection.tenantId, connection.id);
  }

  /** The redirect URI registered with `provider`: `<PRISM_PUBLIC_URL>/oauth/<provider>/callback`. */
  redirectUri(provider: ConnectionProvider): string {
    return new URL(`/oauth/${provider}/callback`, this.#publicUrl).toString();
  }

  /** The provider, its states and secrets; or why accounts of it cannot be connected here. */
  #ready(name: ConnectionProvider) {
    const provider = this.#providers[name];
    if (provider === undefined) throw providerNotConfigured(name);
    if (this.#states === undefined || this.#secrets === undefined) {
      throw new OAuthError(
        'provider_not_configured',
        'Connecting accounts needs an encryption key for their tokens.',
        { hint: 'Set PRISM_ENCRYPTION_KEYS on the server (prism vault key makes one).' },
      );
    }
    if (this.#publicUrl === undefined) {
      throw new OAuthError(
        'provider_not_configured',
        'Connecting accounts needs the server public URL for the provider to return to.',
        { hint: 'Set PRISM_PUBLIC_URL on the server, e.g. https://prism.example.com.' },
      );
    }
    return { provider, states: this.#states, secrets: this.#secrets };
  }
}

/** `provider_not_configured`: the server has no settings for `name`, naming those it needs. */
export function providerNotConfigured(name: ConnectionProvider): OAuthError {
  return new OAuthError(
    'provider_not_configured',
    `Connecting ${providerLabel(name)} accounts is not configured on this server.`,
    { hint: `Set ${SETTINGS[name]} on the server, and register the redirect URI.` },
  );
}

/** The settings each provider needs. */
const SETTINGS: Record<ConnectionProvider, string> = {
  microsoft: 'MICROSOFT_CLIENT_ID and MICROSOFT_CLIENT_SECRET',
  salesforce: 'SALESFORCE_CLIENT_ID and SALESFORCE_CLIENT_SECRET',
  slack: 'SLACK_CLIENT_ID and SLACK_CLIENT_SECRET',
};

/** `account_mismatch`: a connection connected again with an account other than its own. */
function accountMismatch(
  provider: ConnectionProvider,
  expected: NonNullable<Connection['account']>,
  actual: NonNullable<Connection['account']>,
): OAuthError {
  const label = (account: NonNullable<Connection['account']>) =>
    account.name === null ? account.id : `${account.name} (${account.id})`;
  return new OAuthError(
    'account_mismatch',
    `This connection is for the ${providerLabel(provider)} account ${label(expected)}, not ${label(actual)}; it was left as it was.`,
    {
      hint: `Sign in with ${label(expected)} to connect it again, or connect the other account as a new connection.`,
    },
  );
}

/** `Microsoft`, `Salesforce`, `Slack`. */
function providerLabel(provider: ConnectionProvider): string {
  return provider[0]?.toUpperCase() + provider.slice(1);
}

/** The actor a state is bound to, as `<type>:<id>`. */
function actorKey(actor: Actor): string {
  return `${actor.type}:${actor.id}`;
}

/** The actor of {@link actorKey}. */
function actorOf(key: string): Actor {
  const colon = key.indexOf(':');
  const type = key.slice(0, colon);
  return {
    type: type === 'api_key' || type === 'system' ? type : 'user',
    id: key.slice(colon + 1),
    name: null,
  };
}
