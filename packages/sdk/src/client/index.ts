export {
  APIError,
  type APIErrorInit,
  AuthenticationError,
  BadRequestError,
  ConflictError,
  ConnectionError,
  InternalServerError,
  NotFoundError,
  PaginationError,
  type PaginationErrorCode,
  PermissionDeniedError,
  RateLimitError,
  type ResponseIssue,
  TimeoutError,
  UnprocessableEntityError,
  UserAbortError,
  ValidationError,
} from './errors.js';
export type {
  ErrorEvent,
  RequestEvent,
  ResponseEvent,
  RetryEvent,
  TransportEvents,
} from './events.js';
export type { LogLevel, LogSink } from './logger.js';
export { type Page, type PageFetcher, PagePromise, type ToArrayOptions } from './pagination.js';
export type { RateLimitOptions } from './rate-limit.js';
export {
  MAX_RETRY_AFTER_MS,
  RETRY_BASE_DELAY_MS,
  RETRY_MAX_DELAY_MS,
} from './retry.js';
export {
  type APIResult,
  DEFAULT_MAX_RETRIES,
  DEFAULT_TIMEOUT_MS,
  type HttpMethod,
  HttpTransport,
  type HttpTransportOptions,
  type ListOptions,
  type QueryValue,
  type RequestOptions,
  type ResponseInfo,
  type ResponseType,
} from './transport.js';
export { SDK_VERSION } from './version.js';
export type { Fetch } from './wire.js';
