import type { ApiKeysApi, CallOptions, ListParams, PostOptions } from '../api/types.js';
import type { PagePromise } from '../client/pagination.js';
import type { HttpTransport } from '../client/transport.js';
import {
  type ApiKey,
  type ApiKeyCreate,
  ApiKeyListSchema,
  ApiKeySchema,
  type ApiKeyWithSecret,
  ApiKeyWithSecretSchema,
} from '../schema/access.js';
import { pathOf, send, transportOptions } from './request.js';

/** `prism.apiKeys` over HTTP. */
export class HttpApiKeys implements ApiKeysApi {
  readonly #transport: HttpTransport;

  constructor(transport: HttpTransport) {
    this.#transport = transport;
  }

  create(params: ApiKeyCreate, options?: PostOptions): Promise<ApiKeyWithSecret> {
    return send(this.#transport, {
      method: 'POST',
      path: '/v2/api-keys',
      body: params,
      schema: ApiKeyWithSecretSchema,
      ...transportOptions(options),
    });
  }

  list(params: ListParams = {}, options?: CallOptions): PagePromise<ApiKey> {
    return this.#transport.list({
      path: '/v2/api-keys',
      schema: ApiKeyListSchema,
      ...params,
      ...transportOptions(options),
    });
  }

  revoke(keyId: string, options?: PostOptions): Promise<ApiKey> {
    return send(this.#transport, {
      method: 'POST',
      path: pathOf`/v2/api-keys/${keyId}/revoke`,
      schema: ApiKeySchema,
      ...transportOptions(options),
    });
  }
}
