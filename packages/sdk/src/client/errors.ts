import { PrismError, type PrismErrorOptions } from '../errors.js';
import type { FieldError, Problem } from '../schema/common.js';
import { redactSecrets } from './redact.js';

/** What an {@link APIError} is built from: the failed response and the request it answered. */
export interface APIErrorInit {
  /** The request's method, e.g. `GET`. */
  method: string;
  /** The request's path (without the query), e.g. `/v2/reviews/rev_1`. */
  path: string;
  /** The response's HTTP status. */
  status: number;
  /** The response's headers. */
  headers: Headers;
  /** The response's `X-Request-Id`, or the problem's `requestId` when the header is missing. */
  requestId: string | undefined;
  /** The RFC 9457 problem body, when the response carried one. */
  problem: Problem | undefined;
  /** The response body as text, for responses that are not problem documents (e.g. a proxy's page). */
  body: string;
  /** How long the server asked to wait before retrying (`Retry-After`), in milliseconds. */
  retryAfterMs: number | undefined;
  /** A sentence appended to the message, e.g. why the request was not retried. */
  note?: string;
}

const reasonPhrases: Partial<Record<number, string>> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  408: 'Request Timeout',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

/** The standard reason phrase of an HTTP status, e.g. `Not Found` for 404. */
export function reasonPhrase(status: number): string {
  return reasonPhrases[status] ?? `HTTP ${status}`;
}

/**
 * A response with a non-2xx status (its message never holds a Prism key or webhook secret, even
 * when the server echoed one). `code` is the problem body's stable `code` (or a code
 * derived from the status when the body is not a problem document), `requestId` the id to quote
 * when reporting it, `problem` the whole RFC 9457 body. Subclasses name the common statuses, so
 * `catch (e) { if (e instanceof NotFoundError) ... }` works without comparing numbers.
 */
export class APIError extends PrismError {
  /** The response's HTTP status. */
  readonly status: number;
  /** The request id to quote when reporting the problem (`X-Request-Id`). */
  readonly requestId: string | undefined;
  /** The response's headers (e.g. `x-ratelimit-remaining`). */
  readonly headers: Headers;
  /** The RFC 9457 problem body, when the response carried one. */
  readonly problem: Problem | undefined;
  /** How long the server asked to wait before retrying, in milliseconds, when it said. */
  readonly retryAfterMs: number | undefined;

  constructor(init: APIErrorInit, fallbackCode = 'http_error', fallbackHint?: string) {
    const code = init.problem?.code ?? fallbackCode;
    super(code, describe(init, code), { hint: init.problem?.hint ?? fallbackHint });
    this.status = init.status;
    this.requestId = init.requestId;
    this.headers = init.headers;
    this.problem = init.problem;
    this.retryAfterMs = init.retryAfterMs;
  }

  /** The invalid fields the server listed (for `validation_failed`), or an empty list. */
  get fieldErrors(): FieldError[] {
    return this.problem?.errors ?? [];
  }
}

function describe(init: APIErrorInit, code: string): string {
  const title = init.problem?.title ?? reasonPhrase(init.status);
  const request = init.requestId ? `request ${init.requestId}` : 'no request id';
  const detail = init.problem?.detail ?? bodySnippet(init.body);
  const parts = [
    `${init.method} ${init.path} failed: ${init.status} ${title} (code ${code}, ${request}).`,
    detail,
    init.note,
  ];
  return redactSecrets(parts.filter((part) => part !== undefined && part !== '').join(' '));
}

function bodySnippet(body: string): string | undefined {
  const text = body.replace(/\s+/g, ' ').trim();
  if (text === '') return undefined;
  return `The body was not a problem document: ${text.length > 200 ? `${text.slice(0, 200)}…` : text}`;
}

/** A 400: the request is malformed (bad JSON, a parameter of the wrong type). */
export class BadRequestError extends APIError {
  declare readonly status: 400;
  constructor(init: APIErrorInit) {
    super(
      init,
      'bad_request',
      'Check the parameters against the API reference; this SDK and the server may differ in version.',
    );
  }
}

/** A 401: no API key, or one that is unknown, revoked or expired. */
export class AuthenticationError extends APIError {
  declare readonly status: 401;
  constructor(init: APIErrorInit) {
    super(
      init,
      'unauthorized',
      'Pass a current API key of this server as `apiKey` (it starts with prism_sk_).',
    );
  }
}

/** A 403: the key's role does not allow this operation. */
export class PermissionDeniedError extends APIError {
  declare readonly status: 403;
  constructor(init: APIErrorInit) {
    super(init, 'forbidden', 'Use a key whose role allows this operation, or ask a tenant admin.');
  }
}

/** A 404: no such resource in the key's tenant. */
export class NotFoundError extends APIError {
  declare readonly status: 404;
  constructor(init: APIErrorInit) {
    super(init, 'not_found', "Check the id; it must exist in the API key's tenant.");
  }
}

/** A 409: the resource's state does not allow this, or an idempotency key was reused. */
export class ConflictError extends APIError {
  declare readonly status: 409;
  constructor(init: APIErrorInit) {
    super(
      init,
      'conflict',
      'Fetch the resource again and act on its current state; a reused idempotency key needs a new key.',
    );
  }
}

/** A 422: the request is well-formed but a field is invalid; `fieldErrors` lists each one. */
export class UnprocessableEntityError extends APIError {
  declare readonly status: 422;
  constructor(init: APIErrorInit) {
    super(init, 'validation_failed', 'Fix the fields listed in `fieldErrors` and send it again.');
  }
}

/** A 429 that was not (or no longer) retried: the rate limit is exceeded. */
export class RateLimitError extends APIError {
  declare readonly status: 429;
  constructor(init: APIErrorInit) {
    const wait =
      init.retryAfterMs === undefined
        ? 'wait for the rate-limit window to reset'
        : `wait ${formatSeconds(init.retryAfterMs)} before sending more`;
    super(
      init,
      'rate_limited',
      `Send requests more slowly (the \`rateLimit\` option spaces them out), or ${wait}.`,
    );
  }
}

/** A 5xx: the server (or a proxy in front of it) failed. */
export class InternalServerError extends APIError {
  constructor(init: APIErrorInit) {
    super(
      init,
      'server_error',
      'Try again later; if it keeps failing, report it with the request id.',
    );
  }
}

/** Builds the {@link APIError} subclass that names the response's status. */
export function apiErrorFor(init: APIErrorInit): APIError {
  switch (init.status) {
    case 400:
      return new BadRequestError(init);
    case 401:
      return new AuthenticationError(init);
    case 403:
      return new PermissionDeniedError(init);
    case 404:
      return new NotFoundError(init);
    case 409:
      return new ConflictError(init);
    case 422:
      return new UnprocessableEntityError(init);
    case 429:
      return new RateLimitError(init);
    default:
      return init.status >= 500
        ? new InternalServerError(init)
        : new APIError(init, 'http_error', 'Report it with the request id.');
  }
}

/** The server could not be reached, or the connection failed before a whole response arrived. */
export class ConnectionError extends PrismError {
  declare readonly code: 'connection_error';
  constructor(message: string, options: PrismErrorOptions = {}) {
    super('connection_error', message, {
      hint: 'Check the network and that `baseUrl` points at a running Prism server.',
      ...options,
    });
  }
}

/** No whole response arrived within the request's timeout. */
export class TimeoutError extends PrismError {
  declare readonly code: 'timeout';
  /** The timeout of each attempt, in milliseconds. */
  readonly timeoutMs: number;
  constructor(message: string, timeoutMs: number, options: PrismErrorOptions = {}) {
    super('timeout', message, {
      hint: "Raise `timeoutMs` (on the client or for this request), or check the server's health.",
      ...options,
    });
    this.timeoutMs = timeoutMs;
  }
}

/** The caller's `AbortSignal` stopped the request; it is never retried. */
export class UserAbortError extends PrismError {
  declare readonly code: 'aborted';
  constructor(message: string, options: PrismErrorOptions = {}) {
    super('aborted', message, options);
  }
}

/** One field of a response that does not match the expected schema. */
export interface ResponseIssue {
  /** Where the field is, e.g. `summary.score` or `data[2].id`; empty for the whole body. */
  path: string;
  /** What is wrong with it. */
  message: string;
}

/**
 * A 2xx response whose body is not JSON, or does not match the schema this SDK expects (when
 * `validateResponses` is on). The message names the first bad field; `issues` lists them all.
 */
export class ValidationError extends PrismError {
  declare readonly code: 'invalid_response';
  /** The response's HTTP status. */
  readonly status: number;
  /** The request id to quote when reporting the problem (`X-Request-Id`). */
  readonly requestId: string | undefined;
  /** Every field that does not match; empty when the body was not JSON at all. */
  readonly issues: ResponseIssue[];

  constructor(
    message: string,
    details: { status: number; requestId: string | undefined; issues: ResponseIssue[] },
    options: PrismErrorOptions = {},
  ) {
    super('invalid_response', message, options);
    this.status = details.status;
    this.requestId = details.requestId;
    this.issues = details.issues;
  }
}

/** The stable codes a {@link PaginationError} carries. */
export type PaginationErrorCode = 'pagination_cursor_repeated' | 'pagination_cursor_missing';

/** A list whose pages do not lead anywhere new: a repeated cursor, or `hasMore` without one. */
export class PaginationError extends PrismError {
  declare readonly code: PaginationErrorCode;
  constructor(code: PaginationErrorCode, message: string) {
    super(code, message, {
      hint: 'Report it with the request ids of the pages; stop iterating and use the items so far.',
    });
  }
}

/** `1500` -> `1.5 s`, for messages. */
export function formatSeconds(ms: number): string {
  return `${Math.round(ms / 100) / 10} s`;
}
