import type {
  ApiKeyTable,
  AuditLog,
  Connection,
  ContentStore,
  Document,
  FindingRow,
  FrameworkRow,
  ResultCache,
  Review,
  ReviewCheckpointRow,
  Store,
  Table,
  TokenUsageRow,
  Watch,
  WebhookDeliveryTable,
  WebhookEndpointRow,
} from '@prism/sdk';
import { CachedApiKeyTable } from './cached-api-key-table.js';
import { SqlApiKeyTable } from './sql-api-key-table.js';
import { SqlAuditLog } from './sql-audit-log.js';
import type { SqlClient } from './sql-client.js';
import { SqlContents } from './sql-contents.js';
import { SqlResultCache } from './sql-result-cache.js';
import { SqlTable } from './sql-table.js';
import { SqlWebhookDeliveryTable } from './sql-webhook-delivery-table.js';

/**
 * A {@link Store} in PostgreSQL or PGlite, one table per kind of record: what a Prism server
 * keeps its records in. Open one with `openStore`, which applies the migrations first.
 */
export class SqlStore implements Store {
  readonly documents: Table<Document>;
  readonly contents: ContentStore;
  readonly reviews: Table<Review>;
  readonly reviewCheckpoints: Table<ReviewCheckpointRow>;
  readonly findings: Table<FindingRow>;
  readonly frameworks: Table<FrameworkRow>;
  readonly webhookEndpoints: Table<WebhookEndpointRow>;
  readonly webhookDeliveries: WebhookDeliveryTable;
  readonly connections: Table<Connection>;
  readonly watches: Table<Watch>;
  readonly tokenUsage: Table<TokenUsageRow>;
  readonly apiKeys: ApiKeyTable;
  readonly audit: AuditLog;
  readonly reviewCache: ResultCache;
  /** The database connection, for what the server keeps beside the records (idempotency keys). */
  readonly client: SqlClient;
  /** Whether this process is the only one that opens the database (the embedded one). */
  readonly singleWriter: boolean;

  /**
   * A store over `client`, whose database must have every migration applied (see `migrate`).
   * `singleWriter: true` says no other process writes this database (the embedded one, under its
   * data directory's lock), so API keys are looked up once and remembered until changed.
   */
  constructor(client: SqlClient, { singleWriter = false }: { singleWriter?: boolean } = {}) {
    this.client = client;
    this.singleWriter = singleWriter;
    this.documents = new SqlTable(client, 'documents');
    this.contents = new SqlContents(client);
    this.reviews = new SqlTable(client, 'reviews');
    this.reviewCheckpoints = new SqlTable(client, 'review_checkpoints');
    this.findings = new SqlTable(client, 'findings');
    this.frameworks = new SqlTable(client, 'frameworks');
    this.webhookEndpoints = new SqlTable(client, 'webhook_endpoints');
    this.webhookDeliveries = new SqlWebhookDeliveryTable(client);
    this.connections = new SqlTable(client, 'connections');
    this.watches = new SqlTable(client, 'watches');
    this.tokenUsage = new SqlTable(client, 'token_usage');
    const apiKeys = new SqlApiKeyTable(client);
    this.apiKeys = singleWriter ? new CachedApiKeyTable(apiKeys) : apiKeys;
    this.audit = new SqlAuditLog(client);
    this.reviewCache = new SqlResultCache(client);
  }

  /** Closes the database connections (the pool, or the embedded database). */
  async close(): Promise<void> {
    await this.client.close();
  }
}
