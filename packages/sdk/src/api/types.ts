import type { PagePromise } from '../client/pagination.js';
import type { ReviewReport } from '../engine/report.js';
import type {
  ApiKey,
  ApiKeyCreate,
  ApiKeyWithSecret,
  AuditEvent,
  ChatAnswer,
  ChatRequest,
  ChatStreamEvent,
  Connection,
  ConnectionAuthorization,
  ConnectionCreate,
  ConnectionReauthorize,
  Document,
  DocumentSourceCreate,
  ExportFormat,
  Finding,
  FindingAccept,
  FindingCreate,
  FindingReject,
  FindingStatus,
  FindingUpdate,
  Framework,
  FrameworkCreate,
  Metadata,
  Pattern,
  Review,
  ReviewCreate,
  ReviewStatus,
  ReviewStreamEvent,
  Severity,
  Stats,
  Watch,
  WatchCreate,
  WatchPreparation,
  WatchPrepare,
  WebhookDelivery,
  WebhookDeliveryStatus,
  WebhookEndpoint,
  WebhookEndpointCreate,
  WebhookEndpointUpdate,
  WebhookEndpointWithSecret,
  WebhookEvent,
  WebhookSecret,
  WebhookSecretRotate,
} from '../schema/index.js';
import type { WebhookHeaders } from '../webhooks/headers.js';
import type { SignWebhookInput, WebhookSignatureHeaders } from '../webhooks/sign.js';
import type { VerifyWebhookOptions } from '../webhooks/verify.js';

/** Options every call takes. */
export interface CallOptions {
  /** Aborts the call. */
  signal?: AbortSignal;
  /** Time for each attempt, in milliseconds (HTTP only). */
  timeoutMs?: number;
  /** Retries of this call (HTTP only). */
  maxRetries?: number;
}

/** Options of a call that creates or changes something (a POST): also its idempotency key. */
export interface PostOptions extends CallOptions {
  /** Makes retrying safe: the same key and body within 24 hours return the stored result. */
  idempotencyKey?: string;
}

/** Paging of a list: page size (1-100, default 20) and the `nextCursor` of the previous page. */
export interface ListParams {
  /** Items per page. */
  limit?: number;
  /** Where to continue: the previous page's `nextCursor`. */
  cursor?: string;
}

/** A file to upload: a path on disk, bytes, a Blob or a stream of bytes. */
export type UploadSource = string | Uint8Array | Blob | AsyncIterable<Uint8Array>;

/** An upload of a file's content. */
export interface DocumentUploadParams {
  /** The content. */
  file: UploadSource;
  /** The file name (default: the path's base name); its extension tells the format. */
  filename?: string;
  /** A title to use instead of the one found in the file. */
  title?: string;
  /** Keys and values of your own. */
  metadata?: Metadata;
}

/** `prism.documents`: upload, list, get and delete documents. */
export interface DocumentsApi {
  /** Uploads a document (content or a reference in a connected system) and splits it into sections. */
  create(
    params: DocumentUploadParams | DocumentSourceCreate,
    options?: PostOptions,
  ): Promise<Document>;
  /** The documents, newest first. */
  list(params?: ListParams, options?: CallOptions): PagePromise<Document>;
  /** One document with its sections. */
  get(documentId: string, options?: CallOptions): Promise<Document>;
  /** Deletes a document with its reviews and findings. */
  delete(documentId: string, options?: CallOptions): Promise<void>;
}

/** The events of a {@link ReviewHandle}. */
export interface ReviewHandleEvents {
  /** Sections were reviewed; `review.progress` says how many. */
  progress: (review: Review) => void;
  /** A finding was found. */
  finding: (finding: Finding) => void;
  /** The review succeeded. */
  completed: (review: Review) => void;
  /** The review failed or was canceled; `review.error` or `review.status` says which. */
  failed: (review: Review) => void;
}

/** A running review: its events as they happen, and its end. */
export interface ReviewHandle {
  /** The review id. */
  readonly id: string;
  /** The review as last seen. */
  readonly review: Review;
  /** Listens to an event. */
  on<E extends keyof ReviewHandleEvents>(event: E, listener: ReviewHandleEvents[E]): this;
  /** Stops listening. */
  off<E extends keyof ReviewHandleEvents>(event: E, listener: ReviewHandleEvents[E]): this;
  /** The finished review; rejects when it fails or is canceled. */
  done(options?: CallOptions): Promise<Review>;
}

/** `prism.reviews`: start, follow, list and cancel reviews. */
export interface ReviewsApi {
  /** Starts a review of a document and returns a handle to follow it. */
  create(params: ReviewCreate, options?: PostOptions): Promise<ReviewHandle>;
  /** The reviews, newest first, optionally of one document or status. */
  list(
    params?: ListParams & { documentId?: string; status?: ReviewStatus },
    options?: CallOptions,
  ): PagePromise<Review>;
  /** One review. */
  get(reviewId: string, options?: CallOptions): Promise<Review>;
  /** Stops a queued or running review. */
  cancel(reviewId: string, options?: PostOptions): Promise<Review>;
  /** A review's events (server-sent events over HTTP), ending when it finishes. */
  events(reviewId: string, options?: CallOptions): AsyncIterable<ReviewStreamEvent>;
}

/** `prism.findings`: what reviews found, and people's decisions on it. */
export interface FindingsApi {
  /** A review's findings in document order, optionally filtered. */
  list(
    reviewId: string,
    params?: ListParams & { severity?: Severity; status?: FindingStatus; item?: number },
    options?: CallOptions,
  ): PagePromise<Finding>;
  /** Adds a reviewer's own finding. */
  create(reviewId: string, params: FindingCreate, options?: PostOptions): Promise<Finding>;
  /** One finding. */
  get(findingId: string, options?: CallOptions): Promise<Finding>;
  /** Changes a finding's wording or severity, or marks it resolved. */
  update(findingId: string, params: FindingUpdate, options?: CallOptions): Promise<Finding>;
  /** Accepts a finding. */
  accept(findingId: string, params?: FindingAccept, options?: PostOptions): Promise<Finding>;
  /** Rejects a finding, with the reason. */
  reject(findingId: string, params: FindingReject, options?: PostOptions): Promise<Finding>;
}

/** `prism.chat`: questions about a document or review, answered with citations. */
export interface ChatApi {
  /** The answer. */
  ask(params: ChatRequest, options?: PostOptions): Promise<ChatAnswer>;
  /** The answer as it is written: text deltas, then `done` with the whole answer. */
  stream(params: ChatRequest, options?: PostOptions): AsyncIterable<ChatStreamEvent>;
}

/** `prism.patterns`: findings that recur across documents. */
export interface PatternsApi {
  /** The patterns, most frequent first. */
  list(
    params?: ListParams & { frameworkId?: string; minDocuments?: number },
    options?: CallOptions,
  ): PagePromise<Pattern>;
}

/** `prism.stats`: numbers over reviews and findings. */
export interface StatsApi {
  /** The statistics of a period (default the last 30 days). */
  get(params?: { from?: string; to?: string }, options?: CallOptions): Promise<Stats>;
}

/** An exported review. */
export interface ExportFile {
  /** The format. */
  format: ExportFormat;
  /** Its media type. */
  contentType: string;
  /** A file name for it. */
  filename: string;
  /** The content. */
  body: Uint8Array;
}

/** `prism.exports`: a review as JSON, Markdown, SARIF or a commented .docx. */
export interface ExportsApi {
  /** The review in one format. */
  get(reviewId: string, format: ExportFormat, options?: CallOptions): Promise<ExportFile>;
}

/** `prism.frameworks`: the checklists documents are reviewed against. */
export interface FrameworksApi {
  /** The built-in and custom frameworks, newest version of each. */
  list(params?: ListParams, options?: CallOptions): PagePromise<Framework>;
  /** A framework; the newest version unless `version` is given. */
  get(
    frameworkId: string,
    params?: { version?: string },
    options?: CallOptions,
  ): Promise<Framework>;
  /** Adds a custom framework, or a new version of one. */
  create(params: FrameworkCreate, options?: PostOptions): Promise<Framework>;
}

/** `prism.webhooks`: endpoints that receive signed events, and checking those events. */
export interface WebhooksApi {
  /** Subscribes a URL; the signing secret is returned only here. */
  create(params: WebhookEndpointCreate, options?: PostOptions): Promise<WebhookEndpointWithSecret>;
  /** The endpoints, newest first. */
  list(params?: ListParams, options?: CallOptions): PagePromise<WebhookEndpoint>;
  /** One endpoint. */
  get(endpointId: string, options?: CallOptions): Promise<WebhookEndpoint>;
  /** Changes an endpoint, or re-enables it. */
  update(
    endpointId: string,
    params: WebhookEndpointUpdate,
    options?: CallOptions,
  ): Promise<WebhookEndpoint>;
  /** Deletes an endpoint and its pending deliveries. */
  delete(endpointId: string, options?: CallOptions): Promise<void>;
  /** A new signing secret; the old one keeps signing for the grace period. */
  rotateSecret(
    endpointId: string,
    params?: WebhookSecretRotate,
    options?: PostOptions,
  ): Promise<WebhookSecret>;
  /** An endpoint's deliveries, newest first. */
  listDeliveries(
    endpointId: string,
    params?: ListParams & { status?: WebhookDeliveryStatus },
    options?: CallOptions,
  ): PagePromise<WebhookDelivery>;
  /** Sends a delivery again, with the same id and payload. */
  replayDelivery(
    endpointId: string,
    deliveryId: string,
    options?: PostOptions,
  ): Promise<WebhookDelivery>;
  /** Checks a received delivery's signature and timestamp (throws when they are wrong). */
  verify(
    payload: string | Uint8Array,
    headers: WebhookHeaders,
    secret: string | string[],
    options?: VerifyWebhookOptions,
  ): void;
  /** Checks a received delivery and returns its typed event. */
  unwrap(
    payload: string | Uint8Array,
    headers: WebhookHeaders,
    secret: string | string[],
    options?: VerifyWebhookOptions,
  ): WebhookEvent;
  /** The signature headers of a delivery (what a server sends). */
  sign(input: SignWebhookInput): WebhookSignatureHeaders;
}

/** `prism.connections`: accounts connected on other platforms. */
export interface ConnectionsApi {
  /** Starts an OAuth flow; send the user to the returned `authorizationUrl`. */
  create(params: ConnectionCreate, options?: PostOptions): Promise<ConnectionAuthorization>;
  /**
   * Starts the flow again for an existing connection (one that `needs_reauth`, say); once the
   * user approves, it is `active` again under the same id. Until then nothing changes.
   */
  reauthorize(
    connectionId: string,
    params?: ConnectionReauthorize,
    options?: PostOptions,
  ): Promise<ConnectionAuthorization>;
  /** The connections. */
  list(params?: ListParams, options?: CallOptions): PagePromise<Connection>;
  /** One connection (never its tokens). */
  get(connectionId: string, options?: CallOptions): Promise<Connection>;
  /** Revokes the connection at the provider and deletes it. */
  delete(connectionId: string, options?: CallOptions): Promise<void>;
}

/** `prism.watches`: places whose new documents are reviewed automatically. */
export interface WatchesApi {
  /** Starts watching a place. */
  create(params: WatchCreate, options?: PostOptions): Promise<Watch>;
  /**
   * Checks that a place can be watched and prepares it for the results (for SharePoint, creates
   * the Prism columns the library lacks) without watching it; running it again creates nothing.
   */
  prepare(params: WatchPrepare, options?: PostOptions): Promise<WatchPreparation>;
  /** The watches. */
  list(params?: ListParams, options?: CallOptions): PagePromise<Watch>;
  /** One watch. */
  get(watchId: string, options?: CallOptions): Promise<Watch>;
  /** Stops watching. */
  delete(watchId: string, options?: CallOptions): Promise<void>;
}

/** `prism.apiKeys`: keys that authenticate API calls. */
export interface ApiKeysApi {
  /** Creates a key; its secret is returned only here. */
  create(params: ApiKeyCreate, options?: PostOptions): Promise<ApiKeyWithSecret>;
  /** The keys (prefixes only). */
  list(params?: ListParams, options?: CallOptions): PagePromise<ApiKey>;
  /** Revokes a key at once. */
  revoke(keyId: string, options?: PostOptions): Promise<ApiKey>;
}

/** `prism.audit`: the append-only, hash-chained log of every change. */
export interface AuditApi {
  /** The events, oldest first, optionally of one action. */
  list(params?: ListParams & { action?: string }, options?: CallOptions): PagePromise<AuditEvent>;
}

/**
 * Everything Prism does, the same whether it runs in-process (`Prism.local()`) or against a
 * server (`new Prism({ baseUrl, apiKey })`): one method per operation of `openapi/prism.yaml`,
 * grouped by resource.
 */
export interface PrismApi {
  /** Documents. */
  readonly documents: DocumentsApi;
  /** Reviews. */
  readonly reviews: ReviewsApi;
  /** Findings. */
  readonly findings: FindingsApi;
  /** Chat. */
  readonly chat: ChatApi;
  /** Patterns. */
  readonly patterns: PatternsApi;
  /** Stats. */
  readonly stats: StatsApi;
  /** Exports. */
  readonly exports: ExportsApi;
  /** Frameworks. */
  readonly frameworks: FrameworksApi;
  /** Webhook endpoints and events. */
  readonly webhooks: WebhooksApi;
  /** Connections. */
  readonly connections: ConnectionsApi;
  /** Watches. */
  readonly watches: WatchesApi;
  /** API keys. */
  readonly apiKeys: ApiKeysApi;
  /** The audit log. */
  readonly audit: AuditApi;
}

/** How `prism.reviewFile` uploads and reviews a file. Everything is optional. */
export interface ReviewFileOptions {
  /** The file name (default: the path's base name); its extension tells the format. */
  filename?: string;
  /** A title to use instead of the one found in the file. */
  title?: string;
  /** Keys and values of your own, stored on the document. */
  metadata?: Metadata;
  /** The framework id, optionally `@version` (default: the client's default, `hawkeye-20`). */
  framework?: string;
  /** The model (default: the client's default, `rules`). */
  model?: string;
  /** Called as sections are reviewed, with the review so far. */
  onProgress?: (review: Review) => void;
  /** Aborts the upload or the wait, and cancels the review if it has started. */
  signal?: AbortSignal;
}

/**
 * A Prism client: the whole {@link PrismApi}, plus `reviewFile` for the common case and `close`.
 * `new Prism({ baseUrl, apiKey })` talks to a server and `Prism.local()` runs in-process; both
 * are this.
 */
export interface PrismClient extends PrismApi {
  /**
   * Uploads a file, reviews it and waits for the end: the document, the finished review, all
   * its findings and the framework they cite.
   *
   * @throws {ReviewFailedError} when the review fails or is canceled.
   */
  reviewFile(file: UploadSource, options?: ReviewFileOptions): Promise<ReviewReport>;
  /** Releases what the client holds open (connections, or the in-process store). */
  close(): Promise<void>;
}
