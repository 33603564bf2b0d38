import type {
  ApiKeyCreate,
  ChatRequest,
  ConnectionCreate,
  ConnectionReauthorize,
  DocumentContentCreate,
  DocumentSourceCreate,
  ExportFormat,
  FindingAccept,
  FindingCreate,
  FindingReject,
  FindingStatus,
  FindingUpdate,
  FrameworkCreate,
  PrismApi,
  ReviewCreate,
  ReviewStatus,
  Severity,
  WatchCreate,
  WatchPrepare,
  WebhookDeliveryStatus,
  WebhookEndpointCreate,
  WebhookEndpointUpdate,
  WebhookSecretRotate,
} from '@prism/sdk';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { RequestError } from './problems.js';
import { type Principal, roleAllows } from './roles.js';
import { eventStream } from './sse.js';
import { MAX_UPLOAD_BYTES, type UploadedFile, uploadTooLarge } from './upload.js';
import { checkRequestBody } from './validators.js';

/** What a handler gets of its request: path and query parameters, the body, the upload. */
export interface OperationInput {
  params: Record<string, string>;
  query: Record<string, string | number | undefined>;
  body: unknown;
  /** The file of a multipart upload. */
  upload: UploadedFile | undefined;
  request: FastifyRequest;
  reply: FastifyReply;
}

/** What an operation answers: a JSON value, or nothing (a 204). */
export type OperationHandler = (prism: PrismApi, input: OperationInput) => PromiseLike<unknown>;

type Query = OperationInput['query'];
const str = (query: Query, name: string) => query[name] as string | undefined;
const num = (query: Query, name: string) => query[name] as number | undefined;
const page = (query: Query) => ({ limit: num(query, 'limit'), cursor: str(query, 'cursor') });

/** Sends the answer as server-sent events. */
function streamed(reply: FastifyReply, events: AsyncIterable<{ type: string }>): FastifyReply {
  return reply
    .header('content-type', 'text/event-stream; charset=utf-8')
    .header('cache-control', 'no-cache')
    .send(eventStream(events));
}

/** `attachment; filename="..."` with an RFC 5987 UTF-8 form for names that are not ASCII. */
function contentDisposition(filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}

/**
 * The bytes of base64 `content` (standard alphabet, padding and line breaks allowed).
 *
 * @throws {RequestError} `validation_failed` (422) for text that is not base64, which Node would
 *   otherwise decode to whatever bytes it could; `file_too_large` (413) for more than
 *   {@link MAX_UPLOAD_BYTES}, before decoding any of it.
 */
function base64Bytes(content: string): Uint8Array {
  const compact = content.replace(/\s+/g, '');
  const padding = compact.indexOf('=');
  const wellFormed =
    !/[^A-Za-z0-9+/=]/.test(compact) &&
    compact.length % 4 === 0 &&
    (padding === -1 || padding >= compact.length - 2) &&
    !/=[^=]/.test(compact);
  if (!wellFormed) {
    throw new RequestError(422, 'validation_failed', 'contentBase64 is not base64.', {
      hint: "Encode the file's bytes in standard base64 (RFC 4648, with padding).",
      errors: [{ path: '/contentBase64', message: 'must be base64' }],
    });
  }
  const size = (compact.length / 4) * 3 - (padding === -1 ? 0 : compact.length - padding);
  if (size > MAX_UPLOAD_BYTES) throw uploadTooLarge();
  const bytes = Buffer.from(compact, 'base64');
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** Every operation of `openapi/prism.yaml`, by `operationId`, on the caller's `PrismApi`. */
const OPERATION_HANDLERS: Readonly<Record<string, OperationHandler>> = {
  async createDocument(prism, { body, upload }) {
    if (upload) {
      const { title } = body as { title?: string };
      return prism.documents.create({
        file: upload.bytes,
        filename: upload.filename,
        ...(title === undefined ? {} : { title }),
      });
    }
    if ('source' in (body as object)) return prism.documents.create(body as DocumentSourceCreate);
    const { contentBase64, filename, title, metadata } = body as DocumentContentCreate;
    return prism.documents.create({
      file: base64Bytes(contentBase64),
      filename,
      ...(title === undefined ? {} : { title }),
      ...(metadata === undefined ? {} : { metadata }),
    });
  },
  listDocuments: (prism, { query }) => prism.documents.list(page(query)),
  getDocument: (prism, { params }) => prism.documents.get(params.documentId as string),
  deleteDocument: (prism, { params }) => prism.documents.delete(params.documentId as string),

  async createReview(prism, { body }) {
    return (await prism.reviews.create(body as ReviewCreate)).review;
  },
  listReviews: (prism, { query }) =>
    prism.reviews.list({
      ...page(query),
      documentId: str(query, 'documentId'),
      status: str(query, 'status') as ReviewStatus | undefined,
    }),
  getReview: (prism, { params }) => prism.reviews.get(params.reviewId as string),
  cancelReview: (prism, { params }) => prism.reviews.cancel(params.reviewId as string),
  async streamReviewEvents(prism, { params, reply }) {
    const reviewId = params.reviewId as string;
    await prism.reviews.get(reviewId);
    return streamed(reply, prism.reviews.events(reviewId));
  },
  async exportReview(prism, { params, query, reply }) {
    const file = await prism.exports.get(
      params.reviewId as string,
      str(query, 'format') as ExportFormat,
    );
    return reply
      .header('content-type', file.contentType)
      .header('content-disposition', contentDisposition(file.filename))
      .send(Buffer.from(file.body));
  },

  listFindings: (prism, { params, query }) =>
    prism.findings.list(params.reviewId as string, {
      ...page(query),
      severity: str(query, 'severity') as Severity | undefined,
      status: str(query, 'status') as FindingStatus | undefined,
      item: num(query, 'item'),
    }),
  createFinding: (prism, { params, body }) =>
    prism.findings.create(params.reviewId as string, body as FindingCreate),
  getFinding: (prism, { params }) => prism.findings.get(params.findingId as string),
  updateFinding: (prism, { params, body }) =>
    prism.findings.update(params.findingId as string, body as FindingUpdate),
  acceptFinding: (prism, { params, body }) =>
    prism.findings.accept(params.findingId as string, (body ?? {}) as FindingAccept),
  rejectFinding: (prism, { params, body }) =>
    prism.findings.reject(params.findingId as string, body as FindingReject),

  async askChat(prism, { body, request, reply }) {
    if ((request.headers.accept ?? '').includes('text/event-stream')) {
      return streamed(reply, prism.chat.stream(body as ChatRequest));
    }
    return prism.chat.ask(body as ChatRequest);
  },
  listPatterns: (prism, { query }) =>
    prism.patterns.list({
      ...page(query),
      frameworkId: str(query, 'frameworkId'),
      minDocuments: num(query, 'minDocuments'),
    }),
  getStats: (prism, { query }) =>
    prism.stats.get({ from: str(query, 'from'), to: str(query, 'to') }),

  listFrameworks: (prism, { query }) => prism.frameworks.list(page(query)),
  getFramework: (prism, { params, query }) =>
    prism.frameworks.get(params.frameworkId as string, { version: str(query, 'version') }),
  createFramework: (prism, { body }) => prism.frameworks.create(body as FrameworkCreate),

  listWebhookEndpoints: (prism, { query }) => prism.webhooks.list(page(query)),
  createWebhookEndpoint: (prism, { body }) => prism.webhooks.create(body as WebhookEndpointCreate),
  getWebhookEndpoint: (prism, { params }) => prism.webhooks.get(params.endpointId as string),
  updateWebhookEndpoint: (prism, { params, body }) =>
    prism.webhooks.update(params.endpointId as string, body as WebhookEndpointUpdate),
  deleteWebhookEndpoint: (prism, { params }) => prism.webhooks.delete(params.endpointId as string),
  rotateWebhookSecret: (prism, { params, body }) =>
    prism.webhooks.rotateSecret(params.endpointId as string, (body ?? {}) as WebhookSecretRotate),
  listWebhookDeliveries: (prism, { params, query }) =>
    prism.webhooks.listDeliveries(params.endpointId as string, {
      ...page(query),
      status: str(query, 'status') as WebhookDeliveryStatus | undefined,
    }),
  replayWebhookDelivery: (prism, { params }) =>
    prism.webhooks.replayDelivery(params.endpointId as string, params.deliveryId as string),

  listConnections: (prism, { query }) => prism.connections.list(page(query)),
  createConnection: (prism, { body }) => prism.connections.create(body as ConnectionCreate),
  reauthorizeConnection: (prism, { params, body }) =>
    prism.connections.reauthorize(
      params.connectionId as string,
      (body ?? {}) as ConnectionReauthorize,
    ),
  getConnection: (prism, { params }) => prism.connections.get(params.connectionId as string),
  deleteConnection: (prism, { params }) => prism.connections.delete(params.connectionId as string),

  listWatches: (prism, { query }) => prism.watches.list(page(query)),
  createWatch: (prism, { body }) => prism.watches.create(body as WatchCreate),
  prepareWatch: (prism, { body }) => prism.watches.prepare(body as WatchPrepare),
  getWatch: (prism, { params }) => prism.watches.get(params.watchId as string),
  deleteWatch: (prism, { params }) => prism.watches.delete(params.watchId as string),

  listApiKeys: (prism, { query }) => prism.apiKeys.list(page(query)),
  async createApiKey(prism, { body, request }) {
    const { role } = body as ApiKeyCreate;
    const own = (request.principal as Principal).role;
    if (!roleAllows(own, role)) {
      throw new RequestError(
        403,
        'forbidden',
        `A key of the ${own} role cannot create a key of the ${role} role.`,
        { hint: 'Create a key of your own role or lower, or ask someone whose role allows it.' },
      );
    }
    return prism.apiKeys.create(body as ApiKeyCreate);
  },
  async revokeApiKey(prism, { params, request }) {
    const keyId = params.keyId as string;
    const own = (request.principal as Principal).role;
    const key = (await prism.apiKeys.list({ limit: 100 }).toArray()).find(
      (item) => item.id === keyId,
    );
    if (key && !roleAllows(own, key.role)) {
      throw new RequestError(
        403,
        'forbidden',
        `A key of the ${own} role cannot revoke a key of the ${key.role} role.`,
        { hint: 'Ask someone whose role is at least that of the key.' },
      );
    }
    return prism.apiKeys.revoke(keyId);
  },

  listAuditEvents: (prism, { query }) =>
    prism.audit.list({ ...page(query), action: str(query, 'action') }),
};

/**
 * Every operation of `openapi/prism.yaml`, by `operationId`, on the caller's `PrismApi`, each
 * refusing first a body that schema validation did not see (see {@link checkRequestBody}).
 */
export const HANDLERS: Readonly<Record<string, OperationHandler>> = Object.fromEntries(
  Object.entries(OPERATION_HANDLERS).map(([operationId, handle]) => [
    operationId,
    (prism: PrismApi, input: OperationInput) => {
      checkRequestBody(operationId, input.request);
      return handle(prism, input);
    },
  ]),
);
