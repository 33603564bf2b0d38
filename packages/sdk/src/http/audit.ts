import type { AuditApi, CallOptions, ListParams } from '../api/types.js';
import type { PagePromise } from '../client/pagination.js';
import type { HttpTransport } from '../client/transport.js';
import { type AuditEvent, AuditEventListSchema } from '../schema/access.js';
import { transportOptions } from './request.js';

/** `prism.audit` over HTTP. */
export class HttpAudit implements AuditApi {
  readonly #transport: HttpTransport;

  constructor(transport: HttpTransport) {
    this.#transport = transport;
  }

  list(
    params: ListParams & { action?: string } = {},
    options?: CallOptions,
  ): PagePromise<AuditEvent> {
    const { limit, cursor, ...query } = params;
    return this.#transport.list({
      path: '/v2/audit-events',
      query,
      limit,
      cursor,
      schema: AuditEventListSchema,
      ...transportOptions(options),
    });
  }
}
