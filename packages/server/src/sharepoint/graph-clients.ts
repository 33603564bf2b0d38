import {
  createGraphClient,
  createGraphLimiter,
  type SharePointWatch,
} from '@prism/connector-sharepoint';
import type { Connection, Table } from '@prism/sdk';
import { connectionNotFound } from '../connections/token-errors.js';

/** A Microsoft Graph client of the connector. */
export type GraphClient = ReturnType<typeof createGraphClient>;

/** The limiter shared by the Graph clients of one Microsoft tenant. */
type GraphLimiter = ReturnType<typeof createGraphLimiter>;

/** Where a connection's current access token comes from (the server's `TokenProvider`). */
export interface AccessTokens {
  /** A usable access token of the tenant's connection, refreshed when it nears expiry. */
  getAccessToken(tenantId: string, connectionId: string): Promise<{ accessToken: string }>;
}

/** How the Graph clients send requests. */
export interface GraphClientSettings {
  /** Requests a second to each Microsoft tenant. Default the connector's (10). */
  requestsPerSecond?: number;
  /** Requests in flight at once to each Microsoft tenant. Default the connector's (4). */
  concurrency?: number;
  /** Retries of a throttled or unavailable request. Default the connector's (3). */
  maxRetries?: number;
  /** The wait before a retry when Graph gives no `Retry-After`, in seconds. Default 3. */
  retryDelaySeconds?: number;
}

/**
 * The Graph clients of Microsoft connections, one per connection (its access tokens from the
 * token provider, refreshed as needed), made once and kept; the clients of one Microsoft tenant
 * (the connection's account) share one limiter, so Prism stays within Graph's limits for it
 * however many connections and watches it has.
 */
export class GraphClients {
  readonly #tokens: AccessTokens;
  readonly #connections: Table<Connection>;
  readonly #settings: GraphClientSettings;
  readonly #clients = new Map<string, GraphClient>();
  readonly #limiters = new Map<string, GraphLimiter>();

  /** Clients whose tokens come from `tokens`, of the connections in `connections`. */
  constructor(tokens: AccessTokens, connections: Table<Connection>, settings: GraphClientSettings) {
    this.#tokens = tokens;
    this.#connections = connections;
    this.#settings = settings;
  }

  /** The client of `connection`. */
  forConnection(connection: Pick<Connection, 'id' | 'tenantId' | 'account'>): GraphClient {
    const key = clientKey(connection.tenantId, connection.id);
    const known = this.#clients.get(key);
    if (known !== undefined) return known;
    const { maxRetries, retryDelaySeconds } = this.#settings;
    const client = createGraphClient({
      accessToken: () =>
        this.#tokens
          .getAccessToken(connection.tenantId, connection.id)
          .then((token) => token.accessToken),
      limiter: this.#limiterOf(connection.account?.id ?? `connection:${connection.id}`),
      ...(maxRetries === undefined ? {} : { maxRetries }),
      ...(retryDelaySeconds === undefined ? {} : { retryDelaySeconds }),
    });
    this.#clients.set(key, client);
    return client;
  }

  /**
   * The client of the watch's connection.
   *
   * @throws {PrismError} `not_found` when the connection no longer exists.
   */
  async forWatch(watch: Pick<SharePointWatch, 'tenantId' | 'connectionId'>): Promise<GraphClient> {
    const known = this.#clients.get(clientKey(watch.tenantId, watch.connectionId));
    if (known !== undefined) return known;
    const connection = await this.#connections.get(watch.tenantId, watch.connectionId);
    if (connection === undefined) throw connectionNotFound(watch.connectionId);
    return this.forConnection(connection);
  }

  /** Stops the limiters, dropping requests still waiting for one. */
  async close(): Promise<void> {
    const limiters = [...this.#limiters.values()];
    this.#limiters.clear();
    this.#clients.clear();
    await Promise.all(limiters.map((limiter) => limiter.stop({ dropWaitingJobs: true })));
  }

  #limiterOf(microsoftTenant: string): GraphLimiter {
    let limiter = this.#limiters.get(microsoftTenant);
    if (limiter === undefined) {
      limiter = createGraphLimiter(this.#settings.requestsPerSecond, this.#settings.concurrency);
      this.#limiters.set(microsoftTenant, limiter);
    }
    return limiter;
  }
}

function clientKey(tenantId: string, connectionId: string): string {
  return `${tenantId}\u0000${connectionId}`;
}
