import type { CallOptions, ConnectionsApi, ListParams, PostOptions } from '../api/types.js';
import type { PagePromise } from '../client/pagination.js';
import type { HttpTransport } from '../client/transport.js';
import {
  type Connection,
  type ConnectionAuthorization,
  ConnectionAuthorizationSchema,
  type ConnectionCreate,
  ConnectionListSchema,
  type ConnectionReauthorize,
  ConnectionSchema,
} from '../schema/connections.js';
import { pathOf, send, transportOptions } from './request.js';

/** `prism.connections` over HTTP. */
export class HttpConnections implements ConnectionsApi {
  readonly #transport: HttpTransport;

  constructor(transport: HttpTransport) {
    this.#transport = transport;
  }

  create(params: ConnectionCreate, options?: PostOptions): Promise<ConnectionAuthorization> {
    return send(this.#transport, {
      method: 'POST',
      path: '/v2/connections',
      body: params,
      schema: ConnectionAuthorizationSchema,
      ...transportOptions(options),
    });
  }

  reauthorize(
    connectionId: string,
    params: ConnectionReauthorize = {},
    options?: PostOptions,
  ): Promise<ConnectionAuthorization> {
    return send(this.#transport, {
      method: 'POST',
      path: pathOf`/v2/connections/${connectionId}/reauthorize`,
      body: params,
      schema: ConnectionAuthorizationSchema,
      ...transportOptions(options),
    });
  }

  list(params: ListParams = {}, options?: CallOptions): PagePromise<Connection> {
    return this.#transport.list({
      path: '/v2/connections',
      schema: ConnectionListSchema,
      ...params,
      ...transportOptions(options),
    });
  }

  get(connectionId: string, options?: CallOptions): Promise<Connection> {
    return send(this.#transport, {
      method: 'GET',
      path: pathOf`/v2/connections/${connectionId}`,
      schema: ConnectionSchema,
      ...transportOptions(options),
    });
  }

  async delete(connectionId: string, options?: CallOptions): Promise<void> {
    await send(this.#transport, {
      method: 'DELETE',
      path: pathOf`/v2/connections/${connectionId}`,
      ...transportOptions(options),
    });
  }
}
