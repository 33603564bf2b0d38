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
  PrismApi,
  ReviewsApi,
  StatsApi,
  WatchesApi,
  WebhooksApi,
} from '../api/types.js';
import { LocalApiKeys, LocalAudit } from './access.js';
import { LocalChat } from './chat.js';
import { LocalConnections, LocalWatches } from './connections.js';
import type { LocalContext } from './context.js';
import { LocalDocuments } from './documents.js';
import { LocalExports } from './exports.js';
import { LocalFindings } from './findings.js';
import { LocalFrameworks } from './frameworks.js';
import { LocalPatterns, LocalStats } from './insights.js';
import { LocalReviews } from './reviews.js';
import { LocalWebhooks } from './webhooks.js';

/** Every operation of the API in-process, for one tenant and one actor. */
export class TenantPrism implements PrismApi {
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

  constructor(context: LocalContext) {
    this.documents = new LocalDocuments(context);
    this.reviews = new LocalReviews(context);
    this.findings = new LocalFindings(context);
    this.chat = new LocalChat(context);
    this.patterns = new LocalPatterns(context);
    this.stats = new LocalStats(context);
    this.exports = new LocalExports(context);
    this.frameworks = new LocalFrameworks(context);
    this.webhooks = new LocalWebhooks(context);
    this.connections = new LocalConnections(context);
    this.watches = new LocalWatches(context);
    this.apiKeys = new LocalApiKeys(context);
    this.audit = new LocalAudit(context);
  }
}
