import type { Page } from '../client/pagination.js';
import type { ResultCache } from '../engine/cache.js';
import type { ProviderFinding } from '../engine/types.js';
import type {
  ApiKey,
  AuditEvent,
  Connection,
  Document,
  Finding,
  Framework,
  Review,
  Watch,
  WebhookDelivery,
  WebhookEndpoint,
} from '../schema/index.js';

/** A stored row: every row belongs to one tenant and is found by its id within it. */
export interface TenantRow {
  /** The row's id, unique within its table. */
  id: string;
  /** The tenant the row belongs to; every read and write is scoped by it. */
  tenantId: string;
}

/** A top-level field's value a list can be filtered on. */
export type FilterValue = string | number | boolean | null;

/** Which rows of a table a list returns, in which order, one page at a time. */
export interface TableQuery<T> {
  /** Only rows whose fields equal these values. */
  where?: { [K in keyof T]?: T[K] & FilterValue };
  /** `newest` (the default) or `oldest` first, by when rows were inserted. */
  order?: 'newest' | 'oldest';
  /** Rows per page, at least 1. */
  limit: number;
  /** Where to continue: a previous page's `nextCursor`. */
  cursor?: string;
}

/**
 * One table of a {@link Store}. Rows come back as copies: changing one changes nothing stored.
 * Lists are ordered by insertion; cursors are opaque and stay valid while rows are added.
 */
export interface Table<T extends TenantRow> {
  /** Adds a row; throws `store_conflict` when its id is taken. */
  insert(row: T): Promise<void>;
  /** The row, or `undefined` when the tenant has none with this id. */
  get(tenantId: string, id: string): Promise<T | undefined>;
  /**
   * Replaces a row by what `change` makes of it, atomically (no other change of the row runs in
   * between); `undefined` when there is no such row. `change` may throw to leave it unchanged.
   */
  update(tenantId: string, id: string, change: (current: T) => T): Promise<T | undefined>;
  /** Removes a row; whether there was one. */
  delete(tenantId: string, id: string): Promise<boolean>;
  /** Removes the rows matching `where`; how many there were. */
  deleteWhere(tenantId: string, where: TableQuery<T>['where']): Promise<number>;
  /** One page of the rows matching the query. */
  list(tenantId: string, query: TableQuery<T>): Promise<Page<T>>;
}

/** The stored bytes of uploaded documents. */
export interface ContentStore {
  /** Stores a document's original bytes. */
  put(tenantId: string, documentId: string, bytes: Uint8Array): Promise<void>;
  /** A document's original bytes, or `undefined`. */
  get(tenantId: string, documentId: string): Promise<Uint8Array | undefined>;
  /** Removes a document's bytes. */
  delete(tenantId: string, documentId: string): Promise<void>;
}

/** The append-only audit log of each tenant, every event chained to the one before. */
export interface AuditLog {
  /**
   * Appends the event `build` makes of the tenant's last event (`undefined` for the first),
   * atomically: no other event of the tenant is appended in between.
   */
  append(
    tenantId: string,
    build: (previous: AuditEvent | undefined) => AuditEvent,
  ): Promise<AuditEvent>;
  /** One page of the tenant's events (oldest first unless the query says otherwise). */
  list(tenantId: string, query: TableQuery<AuditEvent>): Promise<Page<AuditEvent>>;
}

/** A custom framework as stored: one row per tenant, id and version (`<tenant>:<id>@<version>`). */
export interface FrameworkRow extends TenantRow {
  /** The framework's id. */
  frameworkId: string;
  /** The framework. */
  framework: Framework;
}

/** A signing secret of a webhook endpoint; an old one stays valid until `expiresAt`. */
export interface EndpointSecret {
  /** The `whsec_...` secret. */
  secret: string;
  /** When an old secret stops signing; `null` for the current one. */
  expiresAt: string | null;
}

/** A webhook endpoint as stored: with its signing secrets, newest first. */
export interface WebhookEndpointRow extends WebhookEndpoint {
  /** The current secret first, then old ones still in their grace period. */
  secrets: EndpointSecret[];
}

/** A webhook delivery as stored: with the exact payload it signs and sends on every attempt. */
export interface WebhookDeliveryRow extends WebhookDelivery {
  /** The tenant. */
  tenantId: string;
  /** The JSON body, byte for byte the same on every attempt. */
  payload: string;
  /** Until when a sender holds the delivery to send it; `null` when none does. */
  leaseUntil: string | null;
  /** Which sender holds it. */
  leaseId: string | null;
}

/** The webhook deliveries, which are also found by when they are due, whatever the tenant. */
export interface WebhookDeliveryTable extends Table<WebhookDeliveryRow> {
  /**
   * Up to `limit` deliveries of any tenant that are `pending` or `failed` with `nextAttemptAt`
   * at or before `now` (an RFC 3339 time), oldest first.
   */
  listDue(now: string, limit: number): Promise<WebhookDeliveryRow[]>;
}

/**
 * What a running review found in one section, kept until the review ends, so that a review run
 * again after a crash does not review that section again.
 */
export interface ReviewCheckpointRow extends TenantRow {
  /** The review. */
  reviewId: string;
  /** The section. */
  sectionIndex: number;
  /** The provider's findings of the section, before learning. */
  findings: ProviderFinding[];
}

/** The model tokens a tenant's reviews used in one calendar month (UTC). */
export interface TokenUsageRow extends TenantRow {
  /** `<tenant id>:<YYYY-MM>`. */
  id: string;
  /** The month, `YYYY-MM`. */
  month: string;
  /** Input + output tokens used. */
  tokens: number;
}

/** A finding as stored: with the tenant of its review. */
export interface FindingRow extends Finding {
  /** The tenant. */
  tenantId: string;
}

/** An API key as stored: never its secret, only the secret's SHA-256. */
export interface ApiKeyRow extends ApiKey {
  /** SHA-256 (hex) of the key's secret. */
  secretHash: string;
}

/** The API keys, which are also found by their secret's hash whatever the tenant. */
export interface ApiKeyTable extends Table<ApiKeyRow> {
  /** The key whose secret hashes to `secretHash` (to authenticate a request), or `undefined`. */
  findBySecretHash(secretHash: string): Promise<ApiKeyRow | undefined>;
}

/**
 * Where Prism keeps its records. `Prism.local()` uses {@link MemoryStore} by default; a server
 * implements the same interface over a database, so the same operations run on either.
 */
export interface Store {
  /** Documents with their sections. */
  readonly documents: Table<Document>;
  /** Documents' original bytes (for exports with comments, and re-reviews). */
  readonly contents: ContentStore;
  /** Reviews. */
  readonly reviews: Table<Review>;
  /** Sections of running reviews already reviewed. */
  readonly reviewCheckpoints: Table<ReviewCheckpointRow>;
  /** Findings, in the order reviews found them. */
  readonly findings: Table<FindingRow>;
  /** Custom frameworks (the built-in ones are not stored). */
  readonly frameworks: Table<FrameworkRow>;
  /** Webhook endpoints. */
  readonly webhookEndpoints: Table<WebhookEndpointRow>;
  /** Webhook deliveries. */
  readonly webhookDeliveries: WebhookDeliveryTable;
  /** Connections to other platforms. */
  readonly connections: Table<Connection>;
  /** Watches of places in connected platforms. */
  readonly watches: Table<Watch>;
  /** API keys. */
  readonly apiKeys: ApiKeyTable;
  /** The audit log. */
  readonly audit: AuditLog;
  /** Provider results of reviews, so an unchanged document is not reviewed twice. */
  readonly reviewCache: ResultCache;
  /** Model tokens used by each tenant per month, for tenant token allowances. */
  readonly tokenUsage: Table<TokenUsageRow>;
  /** Releases what the store holds open. */
  close(): Promise<void>;
}
