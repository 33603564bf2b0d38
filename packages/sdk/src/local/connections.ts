import type {
  CallOptions,
  ConnectionsApi,
  ListParams,
  PostOptions,
  WatchesApi,
} from '../api/types.js';
import type { PagePromise } from '../client/pagination.js';
import type {
  Connection,
  ConnectionAuthorization,
  ConnectionCreate,
  Watch,
  WatchCreate,
} from '../schema/index.js';
import type { LocalContext } from './context.js';
import { NotSupportedLocallyError } from './errors.js';
import { tablePages } from './paging.js';
import { notFound, type Operation } from './problems.js';

/**
 * `prism.connections` in-process: OAuth needs a server that the platform can redirect back to,
 * so connecting throws {@link NotSupportedLocallyError}; the store's connections (none, unless
 * a server shares the store) can be read and deleted.
 */
export class LocalConnections implements ConnectionsApi {
  readonly #context: LocalContext;

  constructor(context: LocalContext) {
    this.#context = context;
  }

  async create(
    _params: ConnectionCreate,
    _options?: PostOptions,
  ): Promise<ConnectionAuthorization> {
    throw new NotSupportedLocallyError(
      'Connections',
      'OAuth sends the user back to a public callback URL, which only a Prism server has',
    );
  }

  list(params: ListParams = {}, _options?: CallOptions): PagePromise<Connection> {
    const { store, tenantId } = this.#context;
    const operation: Operation = { method: 'GET', path: '/v2/connections' };
    return tablePages(operation, store.connections, tenantId, params, {}, (row) => row);
  }

  async get(connectionId: string, _options?: CallOptions): Promise<Connection> {
    const operation: Operation = { method: 'GET', path: `/v2/connections/${connectionId}` };
    const row = await this.#context.store.connections.get(this.#context.tenantId, connectionId);
    if (!row) throw notFound(operation, 'connection', connectionId);
    return row;
  }

  async delete(connectionId: string, _options?: CallOptions): Promise<void> {
    const operation: Operation = { method: 'DELETE', path: `/v2/connections/${connectionId}` };
    const { store, tenantId } = this.#context;
    if (!(await store.connections.delete(tenantId, connectionId))) {
      throw notFound(operation, 'connection', connectionId);
    }
    await this.#context.audit('connection.deleted', { type: 'connection', id: connectionId });
  }
}

/**
 * `prism.watches` in-process: a watch reviews what arrives in a connected place, which needs a
 * connection and a server to receive the platform's notifications, so creating one throws
 * {@link NotSupportedLocallyError}; the store's watches can be read and deleted.
 */
export class LocalWatches implements WatchesApi {
  readonly #context: LocalContext;

  constructor(context: LocalContext) {
    this.#context = context;
  }

  async create(_params: WatchCreate, _options?: PostOptions): Promise<Watch> {
    throw new NotSupportedLocallyError(
      'Watches',
      "they need a connection and a server to receive the platform's change notifications",
    );
  }

  list(params: ListParams = {}, _options?: CallOptions): PagePromise<Watch> {
    const { store, tenantId } = this.#context;
    const operation: Operation = { method: 'GET', path: '/v2/watches' };
    return tablePages(operation, store.watches, tenantId, params, {}, (row) => row);
  }

  async get(watchId: string, _options?: CallOptions): Promise<Watch> {
    const operation: Operation = { method: 'GET', path: `/v2/watches/${watchId}` };
    const row = await this.#context.store.watches.get(this.#context.tenantId, watchId);
    if (!row) throw notFound(operation, 'watch', watchId);
    return row;
  }

  async delete(watchId: string, _options?: CallOptions): Promise<void> {
    const operation: Operation = { method: 'DELETE', path: `/v2/watches/${watchId}` };
    const { store, tenantId } = this.#context;
    if (!(await store.watches.delete(tenantId, watchId))) {
      throw notFound(operation, 'watch', watchId);
    }
    await this.#context.audit('watch.deleted', { type: 'watch', id: watchId });
  }
}
