import type { CallOptions, FindingsApi, ListParams, PostOptions } from '../api/types.js';
import type { PagePromise } from '../client/pagination.js';
import type { HttpTransport } from '../client/transport.js';
import type { Severity } from '../schema/common.js';
import {
  type Finding,
  type FindingAccept,
  type FindingCreate,
  FindingListSchema,
  type FindingReject,
  FindingSchema,
  type FindingStatus,
  type FindingUpdate,
} from '../schema/findings.js';
import { pathOf, send, transportOptions } from './request.js';

/** `prism.findings` over HTTP. */
export class HttpFindings implements FindingsApi {
  readonly #transport: HttpTransport;

  constructor(transport: HttpTransport) {
    this.#transport = transport;
  }

  list(
    reviewId: string,
    params: ListParams & { severity?: Severity; status?: FindingStatus; item?: number } = {},
    options?: CallOptions,
  ): PagePromise<Finding> {
    const { limit, cursor, ...query } = params;
    return this.#transport.list({
      path: pathOf`/v2/reviews/${reviewId}/findings`,
      query,
      limit,
      cursor,
      schema: FindingListSchema,
      ...transportOptions(options),
    });
  }

  create(reviewId: string, params: FindingCreate, options?: PostOptions): Promise<Finding> {
    return send(this.#transport, {
      method: 'POST',
      path: pathOf`/v2/reviews/${reviewId}/findings`,
      body: params,
      schema: FindingSchema,
      ...transportOptions(options),
    });
  }

  get(findingId: string, options?: CallOptions): Promise<Finding> {
    return send(this.#transport, {
      method: 'GET',
      path: pathOf`/v2/findings/${findingId}`,
      schema: FindingSchema,
      ...transportOptions(options),
    });
  }

  update(findingId: string, params: FindingUpdate, options?: CallOptions): Promise<Finding> {
    return send(this.#transport, {
      method: 'PATCH',
      path: pathOf`/v2/findings/${findingId}`,
      body: params,
      schema: FindingSchema,
      ...transportOptions(options),
    });
  }

  accept(findingId: string, params?: FindingAccept, options?: PostOptions): Promise<Finding> {
    return send(this.#transport, {
      method: 'POST',
      path: pathOf`/v2/findings/${findingId}/accept`,
      body: params,
      schema: FindingSchema,
      ...transportOptions(options),
    });
  }

  reject(findingId: string, params: FindingReject, options?: PostOptions): Promise<Finding> {
    return send(this.#transport, {
      method: 'POST',
      path: pathOf`/v2/findings/${findingId}/reject`,
      body: params,
      schema: FindingSchema,
      ...transportOptions(options),
    });
  }
}
