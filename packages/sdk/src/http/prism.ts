import type {
  ApiKeysApi,
  AuditApi,
  ChatApi,
  ConnectionsApi,
  DocumentsApi,
  ExportsApi,
  FindingsApi,
  FrameworksApi,
  PatternsApi,
  PrismClient,
  ReviewFileOptions,
  ReviewsApi,
  StatsApi,
  UploadSource,
  WatchesApi,
  WebhooksApi,
} from '../api/types.js';
import { HttpTransport, type HttpTransportOptions } from '../client/transport.js';
import type { ReviewReport } from '../engine/report.js';
import { reviewFileWith } from '../review-file.js';
import { HttpApiKeys } from './api-keys.js';
import { HttpAudit } from './audit.js';
import { HttpChat } from './chat.js';
import { HttpConnections } from './connections.js';
import { HttpDocuments } from './documents.js';
import { HttpExports } from './exports.js';
import { HttpFindings } from './findings.js';
import { HttpFrameworks } from './frameworks.js';
import { HttpPatterns } from './patterns.js';
import { HttpReviews } from './reviews.js';
import { HttpStats } from './stats.js';
import { HttpWatches } from './watches.js';
import { HttpWebhooks } from './webhooks.js';

/**
 * The Prism API over HTTP: every operation of `openapi/prism.yaml` through one
 * {@link HttpTransport} (retries, timeouts, typed errors, validation, pagination).
 *
 * @example
 * const prism = new HttpPrism({ baseUrl: 'https://prism.example.com', apiKey });
 * const review = await prism.reviews.create({ documentId });
 * const finished = await review.done();
 */
export class HttpPrism implements PrismClient {
  /** The transport every call goes through (listen to its `request`/`response` events). */
  readonly transport: HttpTransport;
  readonly documents: DocumentsApi;
  readonly reviews: ReviewsApi;
  readonly findings: FindingsApi;
  readonly chat: ChatApi;
  readonly patterns: PatternsApi;
  readonly stats: StatsApi;
  readonly exports: ExportsApi;
  readonly frameworks: FrameworksApi;
  readonly webhooks: WebhooksApi;
  readonly connections: ConnectionsApi;
  readonly watches: WatchesApi;
  readonly apiKeys: ApiKeysApi;
  readonly audit: AuditApi;

  /** Talks to a server through a new transport made of `options`, or through `transport`. */
  constructor(options: HttpTransportOptions | HttpTransport) {
    this.transport = options instanceof HttpTransport ? options : new HttpTransport(options);
    const transport = this.transport;
    this.documents = new HttpDocuments(transport);
    this.reviews = new HttpReviews(transport);
    this.findings = new HttpFindings(transport);
    this.chat = new HttpChat(transport);
    this.patterns = new HttpPatterns(transport);
    this.stats = new HttpStats(transport);
    this.exports = new HttpExports(transport);
    this.frameworks = new HttpFrameworks(transport);
    this.webhooks = new HttpWebhooks(transport);
    this.connections = new HttpConnections(transport);
    this.watches = new HttpWatches(transport);
    this.apiKeys = new HttpApiKeys(transport);
    this.audit = new HttpAudit(transport);
  }

  reviewFile(file: UploadSource, options: ReviewFileOptions = {}): Promise<ReviewReport> {
    return reviewFileWith(this, file, options);
  }

  /** Closes the keep-alive connections of the transport. */
  close(): Promise<void> {
    return this.transport.close();
  }
}
