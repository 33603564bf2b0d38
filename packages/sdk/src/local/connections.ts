import type {
  CallOptions,
  ConnectionsApi,
  ListParams,
  PostOptions,
  WatchesApi,
} from '../api/types.js';
import type { PagePromise } from '../client/pagination.js';
import { extensionSupport, SUPPORTED_EXTENSIONS } from '../engine/extract/detect.js';
import {
  type Connection,
  type ConnectionAuthorization,
  type ConnectionCreate,
  ConnectionCreateSchema,
  type ConnectionReauthorize,
  ConnectionReauthorizeSchema,
  type Watch,
  type WatchCreate,
  WatchCreateSchema,
  type WatchPreparation,
  type WatchPrepare,
  WatchPrepareSchema,
} from '../schema/index.js';
import type { ConnectionFlows, WatchFlows } from './connection-flows.js';
import type { LocalContext } from './context.js';
import { NotSupportedLocallyError } from './errors.js';
import { stableId } from './ids.js';
import { tablePages } from './paging.js';
import { conflict, notFound, type Operation, problem } from './problems.js';
import { parseInput } from './validate.js';

/** The platform whose connection each kind of watch uses. */
const WATCH_PROVIDER: Readonly<Record<Watch['kind'], Connection['provider']>> = {
  sharepoint: 'microsoft',
  slack: 'slack',
  salesforce: 'salesforce',
};

/**
 * `prism.connections` in-process. Connecting needs OAuth flows, which only a server has (a
 * provider redirects back to a public callback URL): with the server's `connectionFlows` it
 * starts a flow and revokes at the provider on delete; without, connecting throws
 * {@link NotSupportedLocallyError} and the store's connections can be read and deleted.
 */
export class LocalConnections implements ConnectionsApi {
  readonly #context: LocalContext;

  constructor(context: LocalContext) {
    this.#context = context;
  }

  async create(params: ConnectionCreate, _options?: PostOptions): Promise<ConnectionAuthorization> {
    const flows = this.#flows();
    const operation: Operation = { method: 'POST', path: '/v2/connections' };
    const input = parseInput(operation, ConnectionCreateSchema, params);
    const { store, tenantId } = this.#context;
    const now = this.#context.timestamp();
    const connection: Connection = {
      id: this.#context.newId('con'),
      tenantId,
      provider: input.provider,
      status: 'pending',
      account: null,
      scopes: [],
      expiresAt: null,
      createdAt: now,
      updatedAt: now,
    };
    await store.connections.insert(connection);
    try {
      const start = await flows.authorize(connection, {
        actor: this.#context.actor,
        ...(input.returnUrl === undefined ? {} : { returnUrl: input.returnUrl }),
      });
      await this.#context.audit(
        'connection.started',
        { type: 'connection', id: connection.id },
        {
          provider: connection.provider,
        },
      );
      return { connection, ...start };
    } catch (error) {
      await store.connections.delete(tenantId, connection.id);
      throw error;
    }
  }

  async reauthorize(
    connectionId: string,
    params: ConnectionReauthorize = {},
    _options?: PostOptions,
  ): Promise<ConnectionAuthorization> {
    const operation: Operation = {
      method: 'POST',
      path: `/v2/connections/${connectionId}/reauthorize`,
    };
    const input = parseInput(operation, ConnectionReauthorizeSchema, params);
    const connection = await this.#context.store.connections.get(
      this.#context.tenantId,
      connectionId,
    );
    if (!connection) throw notFound(operation, 'connection', connectionId);
    if (connection.status === 'pending') {
      throw conflict(
        operation,
        'connection_pending',
        `Connection ${connectionId} has not been connected yet.`,
        'Finish its flow at the authorization URL it was created with, or delete it and connect again.',
      );
    }
    const start = await this.#flows().authorize(connection, {
      actor: this.#context.actor,
      ...(input.returnUrl === undefined ? {} : { returnUrl: input.returnUrl }),
    });
    await this.#context.audit(
      'connection.reauthorization_started',
      { type: 'connection', id: connectionId },
      { provider: connection.provider, status: connection.status },
    );
    return { connection, ...start };
  }

  /** The server's OAuth flows; connecting needs them. */
  #flows(): ConnectionFlows {
    const flows = this.#context.core.connectionFlows;
    if (flows === undefined) {
      throw new NotSupportedLocallyError(
        'Connections',
        'OAuth sends the user back to a public callback URL, which only a Prism server has',
      );
    }
    return flows;
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

  /** Revokes the tokens at the provider (with the server's flows), then forgets the connection. */
  async delete(connectionId: string, _options?: CallOptions): Promise<void> {
    const operation: Operation = { method: 'DELETE', path: `/v2/connections/${connectionId}` };
    const { store, tenantId } = this.#context;
    const connection = await store.connections.get(tenantId, connectionId);
    if (!connection) throw notFound(operation, 'connection', connectionId);
    // A provider that cannot be reached fails the delete: the grant is not left behind.
    await this.#context.core.connectionFlows?.revoke(connection);
    if (!(await store.connections.delete(tenantId, connectionId))) {
      throw notFound(operation, 'connection', connectionId);
    }
    await this.#context.audit('connection.revoked', { type: 'connection', id: connectionId });
    const revoked: Connection = {
      ...connection,
      status: 'revoked',
      expiresAt: null,
      updatedAt: this.#context.timestamp(),
    };
    this.#context.publish(
      { type: 'connection.revoked', data: { connection: revoked } },
      stableId('msg', `${connectionId}:connection.revoked`),
    );
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

  async create(params: WatchCreate, _options?: PostOptions): Promise<Watch> {
    const flows = this.#flows();
    const operation: Operation = { method: 'POST', path: '/v2/watches' };
    const input = parseInput(operation, WatchCreateSchema, params);
    const { store, tenantId } = this.#context;
    const connection = await this.#connectionFor(operation, input);
    const fileTypes = watchedFileTypes(operation, input.fileTypes ?? []);
    const now = this.#context.timestamp();
    const watch: Watch = {
      id: this.#context.newId('wat'),
      tenantId,
      connectionId: connection.id,
      kind: input.kind,
      target: input.target,
      fileTypes,
      framework: input.framework ?? this.#context.framework.id,
      model: input.model ?? this.#context.provider.id,
      ...(input.resultsFolder === undefined ? {} : { resultsFolder: input.resultsFolder }),
      status: 'active',
      createdAt: now,
      updatedAt: now,
    };
    await store.watches.insert(watch);
    try {
      await flows.start(watch, connection);
    } catch (error) {
      await store.watches.delete(tenantId, watch.id);
      throw error;
    }
    await this.#context.audit(
      'watch.created',
      { type: 'watch', id: watch.id },
      {
        kind: watch.kind,
        target: watch.target,
      },
    );
    return watch;
  }

  async prepare(params: WatchPrepare, _options?: PostOptions): Promise<WatchPreparation> {
    const flows = this.#flows();
    const operation: Operation = { method: 'POST', path: '/v2/watches/prepare' };
    const input = parseInput(operation, WatchPrepareSchema, params);
    const connection = await this.#connectionFor(operation, input);
    const resultFields = await flows.prepare(
      { kind: input.kind, target: input.target },
      connection,
    );
    const created = resultFields.filter((field) => field.created).map((field) => field.name);
    await this.#context.audit(
      'watch.prepared',
      { type: 'connection', id: connection.id },
      { kind: input.kind, target: input.target, created },
    );
    return { ...input, resultFields };
  }

  /** The server's watch flows; watching needs one. */
  #flows(): WatchFlows {
    const flows = this.#context.core.watchFlows;
    if (flows === undefined) {
      throw new NotSupportedLocallyError(
        'Watches',
        "they need a connection and a server to receive the platform's change notifications",
      );
    }
    return flows;
  }

  /**
   * The connection a watch of `input.kind` would use: the tenant's, of the kind's platform, and
   * active; otherwise a 404 or a 409 saying which it is not.
   */
  async #connectionFor(
    operation: Operation,
    input: Pick<WatchCreate, 'connectionId' | 'kind'>,
  ): Promise<Connection> {
    const { store, tenantId } = this.#context;
    const connection = await store.connections.get(tenantId, input.connectionId);
    if (!connection) throw notFound(operation, 'connection', input.connectionId);
    if (connection.provider !== WATCH_PROVIDER[input.kind]) {
      throw conflict(
        operation,
        'connection_mismatch',
        `A ${input.kind} watch needs a ${WATCH_PROVIDER[input.kind]} connection; ${connection.id} is ${connection.provider}.`,
        `Connect a ${WATCH_PROVIDER[input.kind]} account and use its connection id.`,
      );
    }
    if (connection.status !== 'active') {
      throw conflict(
        operation,
        'connection_not_active',
        `Connection ${connection.id} is ${connection.status}.`,
        `Connect the account again (POST /v2/connections/${connection.id}/reauthorize), then try again.`,
      );
    }
    return connection;
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
    const watch = await store.watches.get(tenantId, watchId);
    if (!watch) throw notFound(operation, 'watch', watchId);
    await this.#context.core.watchFlows?.stop(watch);
    if (!(await store.watches.delete(tenantId, watchId))) {
      throw notFound(operation, 'watch', watchId);
    }
    await this.#context.audit('watch.deleted', { type: 'watch', id: watchId });
  }
}

/**
 * A watch's file types as extensions without their dot, lower-cased and each once (`.DOCX`
 * becomes `docx`); a 422 `file_type_not_supported` for a type Prism does not read.
 */
function watchedFileTypes(operation: Operation, fileTypes: readonly string[]): string[] {
  const unread = fileTypes.filter((type) => extensionSupport(type) !== 'supported');
  if (unread.length > 0) {
    throw problem(
      operation,
      422,
      'file_type_not_supported',
      `Prism does not read ${unread.map((type) => `'${type}'`).join(', ')} files.`,
      `Give extensions of the formats Prism reads: ${SUPPORTED_EXTENSIONS.join(', ')}; legacy formats such as .doc are reviewed once saved as .docx.`,
    );
  }
  return [...new Set(fileTypes.map((type) => type.replace(/^\./, '').toLowerCase()))];
}
