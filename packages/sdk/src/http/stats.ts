import type { CallOptions, StatsApi } from '../api/types.js';
import type { HttpTransport } from '../client/transport.js';
import { type Stats, StatsSchema } from '../schema/insights.js';
import { send, transportOptions } from './request.js';

/** `prism.stats` over HTTP. */
export class HttpStats implements StatsApi {
  readonly #transport: HttpTransport;

  constructor(transport: HttpTransport) {
    this.#transport = transport;
  }

  get(params: { from?: string; to?: string } = {}, options?: CallOptions): Promise<Stats> {
    return send(this.#transport, {
      method: 'GET',
      path: '/v2/stats',
      query: params,
      schema: StatsSchema,
      ...transportOptions(options),
    });
  }
}
