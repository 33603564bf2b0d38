import type { CallOptions, ListParams, PatternsApi } from '../api/types.js';
import type { PagePromise } from '../client/pagination.js';
import type { HttpTransport } from '../client/transport.js';
import { type Pattern, PatternListSchema } from '../schema/insights.js';
import { transportOptions } from './request.js';

/** `prism.patterns` over HTTP. */
export class HttpPatterns implements PatternsApi {
  readonly #transport: HttpTransport;

  constructor(transport: HttpTransport) {
    this.#transport = transport;
  }

  list(
    params: ListParams & { frameworkId?: string; minDocuments?: number } = {},
    options?: CallOptions,
  ): PagePromise<Pattern> {
    const { limit, cursor, ...query } = params;
    return this.#transport.list({
      path: '/v2/patterns',
      query,
      limit,
      cursor,
      schema: PatternListSchema,
      ...transportOptions(options),
    });
  }
}
