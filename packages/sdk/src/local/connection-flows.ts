import type { Actor, Connection, Watch, WatchResultField } from '../schema/index.js';

/** A place a watch can observe: its kind and its address there. */
export type WatchPlace = Pick<Watch, 'kind' | 'target'>;

/** Where an authorization flow sends the user, and until when. */
export interface AuthorizationStart {
  /** The provider's authorization URL (with state and, where supported, PKCE). */
  authorizationUrl: string;
  /** When the flow expires (ISO 8601). */
  expiresAt: string;
}

/**
 * The OAuth side of connections, which only a server has (a provider must redirect back to a
 * public callback URL): the server passes its implementation as `new PrismService({
 * connectionFlows })`, and `prism.connections.create` / `delete` use it. Records, audit and
 * webhook events stay with the service.
 */
export interface ConnectionFlows {
  /** Starts the flow for a pending `connection` begun by `actor`. */
  authorize(
    connection: Connection,
    options: { actor: Actor; returnUrl?: string },
  ): Promise<AuthorizationStart>;
  /** Revokes the connection's tokens at its provider and forgets them. */
  revoke(connection: Connection): Promise<void>;
}

/** What a completed flow learned of the connected account. */
export interface ConnectionGrant {
  /** The account connected. */
  account: NonNullable<Connection['account']>;
  /** The scopes granted. */
  scopes: string[];
  /** When the access token expires (ISO 8601), or null. */
  expiresAt: string | null;
}

/**
 * The server side of watches (a provider must reach a public URL with its change
 * notifications): the server passes its implementation as `new PrismService({ watchFlows })`,
 * and `prism.watches.create` / `delete` use it. Records and audit stay with the service.
 */
export interface WatchFlows {
  /**
   * Starts watching `watch`'s target through `connection` (active, of the watch's platform):
   * e.g. subscribes to a library's changes. Throws to refuse it (nothing is kept then).
   */
  start(watch: Watch, connection: Connection): Promise<void>;
  /**
   * Checks that `place` can be watched through `connection` (active, of its platform) and
   * prepares it for the results (e.g. creates a library's missing columns), without watching.
   */
  prepare(place: WatchPlace, connection: Connection): Promise<WatchResultField[]>;
  /** Stops watching (e.g. deletes the subscription); the watch is removed afterwards. */
  stop(watch: Watch): Promise<void>;
}
