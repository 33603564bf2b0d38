import { createHash } from 'node:crypto';
import type {
  CallOptions,
  DocumentsApi,
  DocumentUploadParams,
  ListParams,
  PostOptions,
} from '../api/types.js';
import type { PagePromise } from '../client/pagination.js';
import { readDocument } from '../engine/extract/index.js';
import { MEDIA_TYPES } from '../engine/extract/media-types.js';
import { readUpload } from '../http/upload.js';
import { type Document, type DocumentSourceCreate, MetadataSchema } from '../schema/index.js';
import type { LocalContext } from './context.js';
import { NotSupportedLocallyError } from './errors.js';
import { allRows, tablePages } from './paging.js';
import { asProblem, notFound, type Operation } from './problems.js';
import { parseInput } from './validate.js';

/**
 * `prism.documents` in-process: an upload is read and split into sections at once (the same
 * limits as a server's), and kept with its original bytes.
 */
export class LocalDocuments implements DocumentsApi {
  readonly #context: LocalContext;

  constructor(context: LocalContext) {
    this.#context = context;
  }

  async create(
    params: DocumentUploadParams | DocumentSourceCreate,
    _options?: PostOptions,
  ): Promise<Document> {
    const operation: Operation = { method: 'POST', path: '/v2/documents' };
    if (!('file' in params)) {
      throw new NotSupportedLocallyError(
        'Documents from connected systems',
        'fetching them needs a connection, which lives on a Prism server',
      );
    }
    const metadata = parseInput(operation, MetadataSchema.optional(), params.metadata) ?? {};
    const { blob, filename } = await readUpload(params.file, params.filename);
    const bytes = new Uint8Array(await blob.arrayBuffer());
    const context = this.#context;
    let read: Awaited<ReturnType<typeof readDocument>>;
    try {
      read = await readDocument({ bytes, filename });
    } catch (error) {
      throw asProblem(operation, error);
    }
    const document: Document = {
      id: context.newId('doc'),
      tenantId: context.tenantId,
      source: { kind: 'upload', ref: null, url: null, connectionId: null },
      filename,
      mediaType: MEDIA_TYPES[read.format],
      sizeBytes: bytes.byteLength,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      title: params.title ?? read.title,
      sections: read.sections,
      metadata,
      createdAt: context.timestamp(),
    };
    await context.store.contents.put(context.tenantId, document.id, bytes);
    await context.store.documents.insert(document);
    await context.audit(
      'document.created',
      { type: 'document', id: document.id },
      {
        filename,
        sha256: document.sha256,
      },
    );
    context.publish({
      type: 'document.ingested',
      data: {
        documentId: document.id,
        filename,
        source: document.source,
        sectionCount: document.sections.length,
      },
    });
    return document;
  }

  list(params: ListParams = {}, _options?: CallOptions): PagePromise<Document> {
    return tablePages(
      { method: 'GET', path: '/v2/documents' },
      this.#context.store.documents,
      this.#context.tenantId,
      params,
      {},
      (document) => document,
    );
  }

  async get(documentId: string, _options?: CallOptions): Promise<Document> {
    const document = await this.#context.store.documents.get(this.#context.tenantId, documentId);
    if (!document) {
      throw notFound(
        { method: 'GET', path: `/v2/documents/${documentId}` },
        'document',
        documentId,
      );
    }
    return document;
  }

  /** Deletes the document, its bytes, its reviews (running ones are canceled first) and findings. */
  async delete(documentId: string, _options?: CallOptions): Promise<void> {
    const { store, tenantId, reviewBus } = this.#context;
    if (!(await store.documents.get(tenantId, documentId))) {
      throw notFound(
        { method: 'DELETE', path: `/v2/documents/${documentId}` },
        'document',
        documentId,
      );
    }
    const reviews = await allRows(store.reviews, tenantId, { documentId });
    for (const review of reviews) await reviewBus.cancel(review.id);
    await store.findings.deleteWhere(tenantId, { documentId });
    await store.reviews.deleteWhere(tenantId, { documentId });
    await store.contents.delete(tenantId, documentId);
    await store.documents.delete(tenantId, documentId);
    await this.#context.audit(
      'document.deleted',
      { type: 'document', id: documentId },
      {
        reviews: reviews.length,
      },
    );
  }
}
