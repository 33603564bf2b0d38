import type {
  CallOptions,
  DocumentsApi,
  DocumentUploadParams,
  ListParams,
  PostOptions,
} from '../api/types.js';
import type { PagePromise } from '../client/pagination.js';
import type { HttpTransport } from '../client/transport.js';
import {
  type Document,
  DocumentListSchema,
  DocumentSchema,
  type DocumentSourceCreate,
} from '../schema/documents.js';
import { pathOf, send, transportOptions } from './request.js';
import { blobToBase64, readUpload } from './upload.js';

/**
 * `prism.documents` over HTTP. A file goes as `multipart/form-data` (`file` and `title`), or as
 * JSON with the content in base64 when it has `metadata` (which a multipart upload cannot carry);
 * a reference in a connected system goes as JSON.
 */
export class HttpDocuments implements DocumentsApi {
  readonly #transport: HttpTransport;

  constructor(transport: HttpTransport) {
    this.#transport = transport;
  }

  async create(
    params: DocumentUploadParams | DocumentSourceCreate,
    options?: PostOptions,
  ): Promise<Document> {
    const common = { method: 'POST', path: '/v2/documents', schema: DocumentSchema } as const;
    if (!('file' in params)) {
      return send(this.#transport, { ...common, body: params, ...transportOptions(options) });
    }
    const { blob, filename } = await readUpload(params.file, params.filename);
    if (params.metadata !== undefined) {
      const body = {
        filename,
        contentBase64: await blobToBase64(blob),
        title: params.title,
        metadata: params.metadata,
      };
      return send(this.#transport, { ...common, body, ...transportOptions(options) });
    }
    const form = new FormData();
    form.append('file', blob, filename);
    if (params.title !== undefined) form.append('title', params.title);
    return send(this.#transport, { ...common, form, ...transportOptions(options) });
  }

  list(params: ListParams = {}, options?: CallOptions): PagePromise<Document> {
    return this.#transport.list({
      path: '/v2/documents',
      schema: DocumentListSchema,
      ...params,
      ...transportOptions(options),
    });
  }

  get(documentId: string, options?: CallOptions): Promise<Document> {
    const path = pathOf`/v2/documents/${documentId}`;
    return send(this.#transport, {
      method: 'GET',
      path,
      schema: DocumentSchema,
      ...transportOptions(options),
    });
  }

  async delete(documentId: string, options?: CallOptions): Promise<void> {
    const path = pathOf`/v2/documents/${documentId}`;
    await this.#transport.request({ method: 'DELETE', path, ...transportOptions(options) });
  }
}
