import type { Actor, Connection } from '../schema/index.js';
import type { ConnectionGrant } from './connection-flows.js';
import { LocalContext } from './context.js';
import type { PrismCore } from './core.js';
import { stableId } from './ids.js';

/**
 * What happens to a tenant's connections outside any API call — a flow completing at its
 * callback, a provider refusing a refresh — recorded as the API records its own changes: the
 * connection row, the audit log, and the webhook event.
 */
export class ConnectionLifecycle {
  readonly #context: LocalContext;

  /** The lifecycle of `tenantId`'s connections, changes done by `actor`. */
  constructor(core: PrismCore, tenantId: string, actor: Actor) {
    this.#context = new LocalContext(core, tenantId, actor);
  }

  /** The connection as it is now; undefined when there is none. */
  find(connectionId: string): Promise<Connection | undefined> {
    return this.#context.store.connections.get(this.#context.tenantId, connectionId);
  }

  /**
   * A flow completed: the pending connection becomes `active` with what the provider granted;
   * `connection.created` fires. Undefined when there is no such connection.
   */
  activated(connectionId: string, grant: ConnectionGrant): Promise<Connection | undefined> {
    return this.#granted(connectionId, grant, 'connection.created');
  }

  /**
   * A flow begun by `reauthorize` completed: the connection is `active` again with what the
   * provider granted now; `connection.reauthorized` fires. Undefined when there is no such
   * connection.
   */
  reauthorized(connectionId: string, grant: ConnectionGrant): Promise<Connection | undefined> {
    return this.#granted(connectionId, grant, 'connection.reauthorized');
  }

  /** Makes the connection `active` with `grant`, then audits and publishes `event`. */
  async #granted(
    connectionId: string,
    grant: ConnectionGrant,
    event: 'connection.created' | 'connection.reauthorized',
  ): Promise<Connection | undefined> {
    const connection = await this.#change(connectionId, (current) => ({
      ...current,
      status: 'active',
      account: grant.account,
      scopes: grant.scopes,
      expiresAt: grant.expiresAt,
    }));
    if (!connection) return undefined;
    await this.#context.audit(
      event,
      { type: 'connection', id: connectionId },
      { provider: connection.provider, account: connection.account?.id },
    );
    this.#context.publish(
      { type: event, data: { connection } },
      stableId('msg', `${connectionId}:${event}:${connection.updatedAt}`),
    );
    return connection;
  }

  /**
   * The provider refused to refresh the connection's tokens and it is now `needs_reauth` (as
   * the server's token provider marks it, once): audited, and `connection.needs_reauth` fires.
   */
  async needsReauth(connection: Connection): Promise<void> {
    await this.#context.audit('connection.needs_reauth', { type: 'connection', id: connection.id });
    this.#context.publish(
      { type: 'connection.needs_reauth', data: { connection } },
      stableId('msg', `${connection.id}:connection.needs_reauth:${connection.updatedAt}`),
    );
  }

  /** The flow of a pending connection failed at the provider: the pending connection is removed. */
  async abandoned(connectionId: string): Promise<void> {
    const { store, tenantId } = this.#context;
    const current = await store.connections.get(tenantId, connectionId);
    if (current?.status !== 'pending') return;
    await store.connections.delete(tenantId, connectionId);
    await this.#context.audit('connection.abandoned', { type: 'connection', id: connectionId });
  }

  async #change(
    connectionId: string,
    change: (current: Connection) => Connection,
  ): Promise<Connection | undefined> {
    const { store, tenantId } = this.#context;
    return store.connections.update(tenantId, connectionId, (current) => {
      const next = change(current);
      return next === current ? current : { ...next, updatedAt: this.#context.timestamp() };
    });
  }
}
