import type { Connection, Table } from '@prism/sdk';
import type { Redis } from 'ioredis';
import type { SqlClient } from '../store/sql-client.js';
import type { ConnectionSecrets, StoredConnectionTokens } from './connection-secrets.js';
import { chooseRefreshLock, type RefreshLock } from './refresh-lock.js';
import type { RedisRefreshLockOptions } from './refresh-lock-redis.js';
import {
  ConnectionNotActiveError,
  connectionNotFound,
  connectionTokensMissing,
} from './token-errors.js';
import { type ConnectionTokens, OAuthError, type OAuthProvider } from './types.js';

/** How long before its expiry an access token is refreshed, unless set: 5 minutes. */
export const DEFAULT_REFRESH_SKEW_MS = 5 * 60_000;

/** A usable access token of a connection, and what a connector needs beside it. */
export interface AccessToken {
  /** The access token to call the provider's API with. */
  accessToken: string;
  /** When it expires (ISO 8601), or null when the provider did not say. */
  expiresAt: string | null;
  /**
   * The provider-specific values kept with the tokens that a connector may need (e.g.
   * Salesforce's `instanceUrl`, Slack's `teamId`); secrets among them (other tokens, MSAL's
   * token cache) are left out.
   */
  extra: Record<string, string>;
}

/**
 * Kept-with-the-tokens values that are secrets themselves (other tokens, MSAL's token cache,
 * Slack's incoming webhook URL, which posts to its channel): never handed to connectors.
 */
const SECRET_EXTRA = /(Token|Cache|Secret|WebhookUrl)$/;

/** What the token provider needs of the connections' encrypted tokens. */
export type TokenSecrets = Pick<ConnectionSecrets, 'read' | 'replace'>;

/** What the token provider needs of the store (a `SqlStore` has it). */
export interface TokenProviderStore {
  /** The connection records. */
  connections: Table<Connection>;
  /** The database connection, for the refresh lock when there is no Redis. */
  client: SqlClient;
  /** Whether this process is the only one using the database (the embedded one). */
  singleWriter: boolean;
}

/** Options of {@link TokenProvider}. */
export interface TokenProviderOptions {
  /** Where the connection records are. */
  store: TokenProviderStore;
  /** Where the connections' tokens are, encrypted. */
  secrets: TokenSecrets;
  /** The OAuth provider that refreshes `connection`'s tokens. */
  providerFor(connection: Connection): OAuthProvider;
  /**
   * Called once when a connection becomes `needs_reauth` because its provider refused the
   * refresh token (to publish `connection.needs_reauth` and audit it). Its failure is thrown
   * to the caller of `getAccessToken`.
   */
  onNeedsReauth?: (connection: Connection) => Promise<void> | void;
  /** A Redis client: when given, instances coordinate refreshes through a lock in Redis. */
  redis?: Redis;
  /** Settings of the Redis lock. */
  redisLock?: RedisRefreshLockOptions;
  /** The lock instances coordinate through; chosen from `redis` and `store` when not given. */
  lock?: RefreshLock;
  /** How long before its expiry a token is refreshed, in ms. Default {@link DEFAULT_REFRESH_SKEW_MS}. */
  refreshSkewMs?: number;
  /** The current time; replaced in tests. */
  now?: () => Date;
}

/** Counts of the refreshes a {@link TokenProvider} made, for metrics. */
export interface TokenProviderStats {
  /** Refreshes the provider answered with new tokens. */
  refreshes: number;
  /** Refreshes that failed (refused or provider unreachable). */
  refreshFailures: number;
}

/**
 * What connectors call for a connection's access token: the stored one while it is valid for
 * longer than the skew, else new tokens from the connection's OAuth provider, refreshed once
 * however many callers ask at the same time — in this process (one refresh in flight per
 * connection) and across instances (a lock in Redis or PostgreSQL, then a re-read of the tokens
 * another instance may have stored meanwhile). Rotated refresh tokens are stored with a
 * compare-and-set on the tokens' version. A refresh token the provider refuses makes the
 * connection `needs_reauth`, unless another instance had already replaced it.
 */
export class TokenProvider {
  readonly #connections: Table<Connection>;
  readonly #secrets: TokenSecrets;
  readonly #providerFor: (connection: Connection) => OAuthProvider;
  readonly #onNeedsReauth: (connection: Connection) => Promise<void> | void;
  readonly #lock: RefreshLock;
  readonly #skewMs: number;
  readonly #now: () => Date;
  readonly #flights = new Map<string, Promise<AccessToken>>();
  readonly #stats: TokenProviderStats = { refreshes: 0, refreshFailures: 0 };

  constructor(options: TokenProviderOptions) {
    this.#connections = options.store.connections;
    this.#secrets = options.secrets;
    this.#providerFor = options.providerFor;
    this.#onNeedsReauth = options.onNeedsReauth ?? (() => {});
    this.#lock =
      options.lock ??
      chooseRefreshLock({
        client: options.store.client,
        singleWriter: options.store.singleWriter,
        redis: options.redis,
        redisLock: options.redisLock,
      });
    this.#skewMs = options.refreshSkewMs ?? DEFAULT_REFRESH_SKEW_MS;
    this.#now = options.now ?? (() => new Date());
  }

  /** The counts of refreshes so far. */
  get stats(): TokenProviderStats {
    return { ...this.#stats };
  }

  /**
   * A usable access token of the tenant's connection, refreshed first when it expires within
   * the skew.
   *
   * @throws {PrismError} `not_found` (no such connection), `connection_not_active` (see its
   *   `status`), `connection_tokens_missing`.
   * @throws {OAuthError} `invalid_grant` when the provider refused the refresh token (the
   *   connection is now `needs_reauth`), `provider_unavailable`.
   */
  async getAccessToken(tenantId: string, connectionId: string): Promise<AccessToken> {
    await this.#activeConnection(tenantId, connectionId);
    const stored = await this.#read(tenantId, connectionId);
    if (this.#fresh(stored.tokens)) return accessTokenOf(stored.tokens);
    return this.#sharedRefresh(tenantId, connectionId, stored.version);
  }

  /** One refresh per connection in this process: later callers join the one in flight. */
  #sharedRefresh(tenantId: string, connectionId: string, seenVersion: number) {
    const key = `token-refresh:${tenantId}:${connectionId}`;
    let flight = this.#flights.get(key);
    if (flight === undefined) {
      flight = this.#lock
        .withLock(key, () => this.#refreshHoldingLock(tenantId, connectionId, seenVersion))
        .finally(() => this.#flights.delete(key));
      this.#flights.set(key, flight);
    }
    return flight;
  }

  async #refreshHoldingLock(
    tenantId: string,
    connectionId: string,
    seenVersion: number,
  ): Promise<AccessToken> {
    // Another instance may have refreshed, or found the connection needs reauthorizing, meanwhile.
    const connection = await this.#activeConnection(tenantId, connectionId);
    const latest = await this.#read(tenantId, connectionId);
    if (this.#fresh(latest.tokens) || this.#newerAndUnexpired(latest, seenVersion)) {
      return accessTokenOf(latest.tokens);
    }
    if (latest.tokens.refreshToken === null) {
      if (this.#unexpired(latest.tokens)) return accessTokenOf(latest.tokens);
      return this.#refused(
        connection,
        `Connection ${connection.id} has no refresh token and its access token expired.`,
      );
    }
    let refreshed: ConnectionTokens;
    try {
      refreshed = await this.#providerFor(connection).refresh(latest.tokens);
    } catch (error) {
      this.#stats.refreshFailures += 1;
      if (!(error instanceof OAuthError) || error.code !== 'invalid_grant') throw error;
      // Another instance may have rotated the refresh token just before this one used it.
      const current = await this.#secrets.read(tenantId, connectionId);
      if (current !== undefined && this.#newerAndUnexpired(current, latest.version)) {
        return accessTokenOf(current.tokens);
      }
      return this.#refused(
        connection,
        `The provider (${connection.provider}) refused the refresh token of connection ${connection.id} (invalid_grant).`,
        error,
      );
    }
    this.#stats.refreshes += 1;
    return this.#store(connection, refreshed, latest.version);
  }

  /** Stores refreshed tokens; if another writer replaced them first, uses theirs. */
  async #store(
    connection: Connection,
    refreshed: ConnectionTokens,
    replacedVersion: number,
  ): Promise<AccessToken> {
    const { tenantId, id } = connection;
    if (!(await this.#secrets.replace(tenantId, id, refreshed, replacedVersion))) {
      const other = await this.#read(tenantId, id);
      return accessTokenOf(this.#unexpired(other.tokens) ? other.tokens : refreshed);
    }
    await this.#connections.update(tenantId, id, (current) => ({
      ...current,
      expiresAt: refreshed.expiresAt,
      updatedAt: this.#now().toISOString(),
    }));
    return accessTokenOf(refreshed);
  }

  /** Marks the connection `needs_reauth` (telling `onNeedsReauth` once) and throws why. */
  async #refused(connection: Connection, message: string, cause?: OAuthError): Promise<never> {
    let changed = false;
    const updated = await this.#connections.update(
      connection.tenantId,
      connection.id,
      (current) => {
        changed = current.status === 'active';
        return changed
          ? { ...current, status: 'needs_reauth', updatedAt: this.#now().toISOString() }
          : current;
      },
    );
    if (changed && updated !== undefined) await this.#onNeedsReauth(updated);
    throw new OAuthError('invalid_grant', message, {
      hint: `The connection is now needs_reauth: connect the account again (POST /v2/connections/${connection.id}/reauthorize).`,
      cause,
    });
  }

  async #activeConnection(tenantId: string, connectionId: string): Promise<Connection> {
    const connection = await this.#connections.get(tenantId, connectionId);
    if (connection === undefined) throw connectionNotFound(connectionId);
    if (connection.status !== 'active') throw new ConnectionNotActiveError(connection);
    return connection;
  }

  async #read(tenantId: string, connectionId: string): Promise<StoredConnectionTokens> {
    const stored = await this.#secrets.read(tenantId, connectionId);
    if (stored === undefined) throw connectionTokensMissing(connectionId);
    return stored;
  }

  /** Valid for longer than the skew (or with no known expiry). */
  #fresh(tokens: ConnectionTokens): boolean {
    return this.#validFor(tokens, this.#skewMs);
  }

  #unexpired(tokens: ConnectionTokens): boolean {
    return this.#validFor(tokens, 0);
  }

  /** Stored by another writer since `seenVersion`, and not expired: just refreshed by them. */
  #newerAndUnexpired(stored: StoredConnectionTokens, seenVersion: number): boolean {
    return stored.version !== seenVersion && this.#unexpired(stored.tokens);
  }

  #validFor(tokens: ConnectionTokens, marginMs: number): boolean {
    if (tokens.expiresAt === null) return true;
    return Date.parse(tokens.expiresAt) - this.#now().getTime() > marginMs;
  }
}

function accessTokenOf(tokens: ConnectionTokens): AccessToken {
  return {
    accessToken: tokens.accessToken,
    expiresAt: tokens.expiresAt,
    extra: Object.fromEntries(
      Object.entries(tokens.extra).filter(([name]) => !SECRET_EXTRA.test(name)),
    ),
  };
}
