import type { CallOptions, FrameworksApi, ListParams, PostOptions } from '../api/types.js';
import type { PagePromise } from '../client/pagination.js';
import type { HttpTransport } from '../client/transport.js';
import {
  type Framework,
  type FrameworkCreate,
  FrameworkListSchema,
  FrameworkSchema,
} from '../schema/frameworks.js';
import { pathOf, send, transportOptions } from './request.js';

/** `prism.frameworks` over HTTP. */
export class HttpFrameworks implements FrameworksApi {
  readonly #transport: HttpTransport;

  constructor(transport: HttpTransport) {
    this.#transport = transport;
  }

  list(params: ListParams = {}, options?: CallOptions): PagePromise<Framework> {
    return this.#transport.list({
      path: '/v2/frameworks',
      schema: FrameworkListSchema,
      ...params,
      ...transportOptions(options),
    });
  }

  get(
    frameworkId: string,
    params: { version?: string } = {},
    options?: CallOptions,
  ): Promise<Framework> {
    return send(this.#transport, {
      method: 'GET',
      path: pathOf`/v2/frameworks/${frameworkId}`,
      query: { version: params.version },
      schema: FrameworkSchema,
      ...transportOptions(options),
    });
  }

  create(params: FrameworkCreate, options?: PostOptions): Promise<Framework> {
    return send(this.#transport, {
      method: 'POST',
      path: '/v2/frameworks',
      body: params,
      schema: FrameworkSchema,
      ...transportOptions(options),
    });
  }
}
