import type { CallOptions, ListParams, PostOptions, WatchesApi } from '../api/types.js';
import type { PagePromise } from '../client/pagination.js';
import type { HttpTransport } from '../client/transport.js';
import {
  type Watch,
  type WatchCreate,
  WatchListSchema,
  type WatchPreparation,
  WatchPreparationSchema,
  type WatchPrepare,
  WatchSchema,
} from '../schema/connections.js';
import { pathOf, send, transportOptions } from './request.js';

/** `prism.watches` over HTTP. */
export class HttpWatches implements WatchesApi {
  readonly #transport: HttpTransport;

  constructor(transport: HttpTransport) {
    this.#transport = transport;
  }

  create(params: WatchCreate, options?: PostOptions): Promise<Watch> {
    return send(this.#transport, {
      method: 'POST',
      path: '/v2/watches',
      body: params,
      schema: WatchSchema,
      ...transportOptions(options),
    });
  }

  prepare(params: WatchPrepare, options?: PostOptions): Promise<WatchPreparation> {
    return send(this.#transport, {
      method: 'POST',
      path: '/v2/watches/prepare',
      body: params,
      schema: WatchPreparationSchema,
      ...transportOptions(options),
    });
  }

  list(params: ListParams = {}, options?: CallOptions): PagePromise<Watch> {
    return this.#transport.list({
      path: '/v2/watches',
      schema: WatchListSchema,
      ...params,
      ...transportOptions(options),
    });
  }

  get(watchId: string, options?: CallOptions): Promise<Watch> {
    return send(this.#transport, {
      method: 'GET',
      path: pathOf`/v2/watches/${watchId}`,
      schema: WatchSchema,
      ...transportOptions(options),
    });
  }

  async delete(watchId: string, options?: CallOptions): Promise<void> {
    await send(this.#transport, {
      method: 'DELETE',
      path: pathOf`/v2/watches/${watchId}`,
      ...transportOptions(options),
    });
  }
}
