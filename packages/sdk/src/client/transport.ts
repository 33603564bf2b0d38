import { EventEmitter } from 'eventemitter3';
import type { Dispatcher } from 'undici';
import type { ZodType } from 'zod';
import { PrismError } from '../errors.js';
import { AttemptAbort, AttemptClock, stopwatch } from './attempt-abort.js';
import type { APIErrorInit } from './errors.js';
import type { TransportEvents } from './events.js';
import { abortError, errorForFailure, type Failure, retryReason } from './failure.js';
import { attachLogger, type LogLevel, type LogSink, logLevelFromEnv } from './logger.js';
import { checkBaseUrl, checkRetries, checkTimeout, lowerCaseNames } from './options.js';
import { type Page, PagePromise } from './pagination.js';
import { parseProblem } from './problem.js';
import { type RateLimitOptions, RequestScheduler } from './rate-limit.js';
import { redactHeaders, redactSecrets } from './redact.js';
import { parseSuccessBody } from './response-body.js';
import { backoffDelayMs, isRetryableStatus, MAX_RETRY_AFTER_MS, retryAfterMs } from './retry.js';
import { sleep } from './sleep.js';
import { userAgent } from './version.js';
import { createWire, type Fetch, type Wire, type WireRequest, type WireResponse } from './wire.js';

/** Default time for one attempt (sending it and reading the whole response), in milliseconds. */
export const DEFAULT_TIMEOUT_MS = 60_000;
/** Default number of retries after the first attempt (as anthropic-sdk-typescript, openai-node). */
export const DEFAULT_MAX_RETRIES = 2;

/** How an {@link HttpTransport} reaches the server and behaves. */
export interface HttpTransportOptions {
  /** The server's URL, e.g. `https://prism.example.com` (a path prefix is kept). */
  baseUrl: string;
  /** The API key, sent as `Authorization: Bearer <key>`; never logged. */
  apiKey: string;
  /** Time for one attempt, in milliseconds. Default {@link DEFAULT_TIMEOUT_MS} (60 s). */
  timeoutMs?: number;
  /** Retries after the first attempt. Default {@link DEFAULT_MAX_RETRIES} (2). */
  maxRetries?: number;
  /** A `fetch` to use instead of undici, e.g. for msw in tests or a runtime without undici. */
  fetch?: Fetch;
  /** An undici dispatcher (`Agent`, `ProxyAgent`, `MockAgent`...) instead of a `Pool` per origin. */
  dispatcher?: Dispatcher;
  /** Headers sent with every request; a request's own headers win. */
  defaultHeaders?: Record<string, string>;
  /** Check 2xx bodies against the operation's zod schema. Default `true`. */
  validateResponses?: boolean;
  /** Opt-in client-side limits; back-off after a 429 happens regardless. */
  rateLimit?: RateLimitOptions;
  /** Log level of the built-in logger. Default: `PRISM_LOG`, else `off`. */
  logLevel?: LogLevel;
  /** Where log lines go. Default: standard error. */
  logSink?: LogSink;
}

/** An HTTP method the API uses. */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** A query parameter's value; `undefined` and `null` leave it out, an array repeats it. */
export type QueryValue =
  | string
  | number
  | boolean
  | null
  | undefined
  | readonly (string | number)[];

/**
 * How a 2xx body is read: `json` (the default) parses it and checks it against `schema`;
 * `bytes` gives it as a `Uint8Array`; `stream` gives its chunks as they arrive (an
 * `AsyncIterable<Uint8Array>`, e.g. for server-sent events), the timeout covering only the wait
 * for the response's headers and the caller's signal still aborting the body.
 */
export type ResponseType = 'json' | 'bytes' | 'stream';

/** One API request. */
export interface RequestOptions<T> {
  /** The HTTP method. */
  method: HttpMethod;
  /** The path after `baseUrl`, starting with `/`, e.g. `/v2/reviews/rev_1`. */
  path: string;
  /** Query parameters. */
  query?: Record<string, QueryValue>;
  /** A JSON body. */
  body?: unknown;
  /** A multipart body (instead of `body`). */
  form?: FormData;
  /** Headers of this request; they win over the defaults. */
  headers?: Record<string, string>;
  /** The schema of a 2xx body; it is checked when `validateResponses` is on. */
  schema?: ZodType<T>;
  /** The `Idempotency-Key` of a POST; by default one is generated per call and kept across retries. */
  idempotencyKey?: string;
  /** Time for each attempt of this request, in milliseconds. */
  timeoutMs?: number;
  /** Aborts the request (and its retries) with a {@link UserAbortError}. */
  signal?: AbortSignal;
  /** Retries of this request. */
  maxRetries?: number;
  /** How a 2xx body is read (default `json`); with `bytes` or `stream`, `T` is what it gives. */
  responseType?: ResponseType;
}

/** What a response said besides its body. */
export interface ResponseInfo {
  /** The HTTP status. */
  status: number;
  /** The response headers. */
  headers: Headers;
  /** The server's id of the request (`X-Request-Id`); quote it when reporting a problem. */
  requestId: string | undefined;
}

/** A successful response: its body and the rest. */
export interface APIResult<T> {
  /** The body, checked against the schema when there is one and validation is on. */
  data: T;
  /** The status, headers and request id. */
  response: ResponseInfo;
}

/** A list request: a GET whose pages are followed by cursor. */
export type ListOptions<T> = Omit<
  RequestOptions<Page<T>>,
  'method' | 'body' | 'form' | 'idempotencyKey' | 'responseType'
> & {
  /** Items per page (the server's default when omitted). */
  limit?: number;
  /** Start at this cursor instead of the first page. */
  cursor?: string;
};

/**
 * A path a URL parser leaves as it is: `/`-separated segments of unreserved characters,
 * sub-delimiters, `:`, `@` and percent escapes, none of them a dot segment (`.`, `..`, `%2e`...).
 */
const plainPath = /^(?:\/(?!(?:\.|%2e){1,2}(?:\/|$))(?:[\w\-.~!$&'()*+,;=:@]|%[\da-f]{2})*)+$/i;

/** One request, resolved once and sent by every attempt. */
interface Call<T> extends WireRequest {
  method: HttpMethod;
  path: string;
  schema: ZodType<T> | undefined;
  timeoutMs: number;
  maxRetries: number;
  signal: AbortSignal | undefined;
  responseType: ResponseType;
}

type Outcome<T> = { kind: 'success'; result: APIResult<T> } | Failure;

/**
 * Sends API requests over HTTP: undici with a keep-alive `Pool` per origin (or a given
 * dispatcher or `fetch`), per-attempt timeouts, retries with exponential back-off and full
 * jitter that honour `Retry-After`, an automatic `Idempotency-Key` on POST, typed errors,
 * response validation, opt-in rate limiting, and lifecycle events (`request`, `response`,
 * `retry`, `error`) for logging and metrics.
 */
export class HttpTransport extends EventEmitter<TransportEvents> {
  /** The server's URL, without a trailing slash. */
  readonly baseUrl: string;
  /** Time for one attempt, in milliseconds. */
  readonly timeoutMs: number;
  /** Retries after the first attempt. */
  readonly maxRetries: number;
  /** Whether 2xx bodies are checked against their schema. */
  readonly validateResponses: boolean;
  readonly #origin: string;
  readonly #basePath: string;
  readonly #defaultHeaders: Record<string, string>;
  readonly #wire: Wire;
  readonly #scheduler: RequestScheduler;
  readonly #clock = new AttemptClock();

  constructor(options: HttpTransportOptions) {
    super();
    this.baseUrl = checkBaseUrl(options.baseUrl);
    const base = new URL(this.baseUrl);
    this.#origin = base.origin;
    this.#basePath = base.pathname === '/' ? '' : base.pathname;
    if (typeof options.apiKey !== 'string' || options.apiKey.trim() === '') {
      throw new PrismError('invalid_argument', 'apiKey is required to talk to a Prism server.', {
        hint: 'Pass a key of the server (prism_sk_...) as `apiKey`.',
      });
    }
    this.timeoutMs = checkTimeout(options.timeoutMs ?? DEFAULT_TIMEOUT_MS, 'timeoutMs');
    this.maxRetries = checkRetries(options.maxRetries ?? DEFAULT_MAX_RETRIES);
    this.validateResponses = options.validateResponses ?? true;
    this.#defaultHeaders = {
      authorization: `Bearer ${options.apiKey}`,
      accept: 'application/json, application/problem+json',
      'user-agent': userAgent(),
      ...lowerCaseNames(options.defaultHeaders),
    };
    this.#wire = createWire({ fetch: options.fetch, dispatcher: options.dispatcher });
    this.#scheduler = new RequestScheduler(options.rateLimit);
    const level = options.logLevel ?? logLevelFromEnv() ?? 'off';
    if (level !== 'off') attachLogger(this, level, options.logSink);
  }

  /**
   * Sends one request, retrying what is worth retrying, and resolves to its body (checked
   * against `schema`) with the status, headers and request id. Rejects with an `APIError`
   * subclass for an error status, `ConnectionError`, `TimeoutError`, `ValidationError` or
   * `UserAbortError`.
   */
  async request<T = unknown>(options: RequestOptions<T>): Promise<APIResult<T>> {
    const call = this.#prepare(options);
    for (let attempt = 1; ; attempt += 1) {
      const outcome = await this.#scheduler.run(() => this.#attempt(call, attempt), call.signal);
      if (outcome.kind === 'success') return outcome.result;

      const retryable =
        outcome.kind !== 'final' && (outcome.kind !== 'status' || outcome.retryable);
      const asked = outcome.kind === 'status' ? outcome.init.retryAfterMs : undefined;
      const canRetry = retryable && attempt <= call.maxRetries && !call.signal?.aborted;
      if (!canRetry || (asked !== undefined && asked > MAX_RETRY_AFTER_MS)) {
        throw this.#fail(call, attempt, errorForFailure(call, outcome, attempt, retryable));
      }

      const delayMs = asked ?? backoffDelayMs(attempt);
      if (outcome.kind === 'status' && outcome.init.status === 429) this.#scheduler.pause(delayMs);
      if (this.listenerCount('retry') > 0) {
        this.emit('retry', {
          method: call.method,
          url: safeUrl(call),
          attempt: attempt + 1,
          delayMs,
          reason: retryReason(outcome),
          error: errorForFailure(call, outcome, attempt, false),
        });
      }
      await sleep(delayMs, call.signal);
    }
  }

  /**
   * A list call: awaiting it gives the first page, `for await` gives every item of every page,
   * `.toArray()` collects them. Each page is one {@link request} (with its retries).
   */
  list<T>(options: ListOptions<T>): PagePromise<T> {
    const { limit, cursor, query, ...rest } = options;
    return new PagePromise<T>(async (next) => {
      const { data } = await this.request<Page<T>>({
        ...rest,
        method: 'GET',
        query: { ...query, limit, cursor: next },
      });
      return data;
    }, cursor);
  }

  /** Closes the keep-alive connections this transport opened. */
  close(): Promise<void> {
    return this.#wire.close();
  }

  #prepare<T>(options: RequestOptions<T>): Call<T> {
    if (options.body !== undefined && options.form !== undefined) {
      throw new PrismError('invalid_argument', 'A request has either a JSON `body` or a `form`.');
    }
    if (!options.path.startsWith('/')) {
      throw new PrismError('invalid_argument', `path must start with "/", not "${options.path}".`);
    }
    const { origin, target } = this.#resolve(options.path, options.query);
    const idempotencyKey =
      options.idempotencyKey ??
      (options.method === 'POST' ? `prism-retry-${globalThis.crypto.randomUUID()}` : undefined);
    // The default headers are shared by the requests that add none (they are never changed).
    let headers = this.#defaultHeaders;
    if (options.body !== undefined || idempotencyKey !== undefined || options.headers) {
      headers = { ...headers };
      if (options.body !== undefined) headers['content-type'] = 'application/json';
      if (idempotencyKey !== undefined) headers['idempotency-key'] = idempotencyKey;
      Object.assign(headers, lowerCaseNames(options.headers));
    }
    return {
      method: options.method,
      path: options.path,
      origin,
      target,
      headers,
      body: options.form ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
      schema: options.schema,
      timeoutMs:
        options.timeoutMs === undefined
          ? this.timeoutMs
          : checkTimeout(options.timeoutMs, 'timeoutMs'),
      maxRetries:
        options.maxRetries === undefined ? this.maxRetries : checkRetries(options.maxRetries),
      signal: options.signal,
      responseType: options.responseType ?? 'json',
    };
  }

  /**
   * The origin and request target of `path` (after the base URL's path) with `query`. A path
   * that a URL parser would leave as it is (`/v2/reviews/rev_1`: no dot segments, nothing to
   * escape) is joined as it is; any other goes through `URL`, as a browser would send it.
   */
  #resolve(path: string, query: Record<string, QueryValue> | undefined) {
    let origin = this.#origin;
    let target = `${this.#basePath}${path}`;
    if (!plainPath.test(path)) {
      const url = new URL(`${this.baseUrl}${path}`);
      origin = url.origin;
      target = `${url.pathname}${url.search}`;
    }
    if (!query) return { origin, target };
    const params = new URLSearchParams();
    for (const [name, value] of Object.entries(query)) {
      if (value === undefined || value === null) continue;
      const values = Array.isArray(value) ? value : [value];
      for (const item of values) params.append(name, String(item));
    }
    const search = params.toString();
    if (search) target += `${target.includes('?') ? '&' : '?'}${search}`;
    return { origin, target };
  }

  async #attempt<T>(call: Call<T>, attempt: number): Promise<Outcome<T>> {
    const { signal } = call;
    if (signal?.aborted) return { kind: 'final', error: abortError(call, signal) };
    const abort = new AttemptAbort(call.timeoutMs, this.#clock, signal);

    if (this.listenerCount('request') > 0) {
      this.emit('request', {
        method: call.method,
        url: safeUrl(call),
        attempt,
        headers: redactHeaders(Object.entries(call.headers)),
      });
    }
    const started = stopwatch.now();
    let response: WireResponse;
    let text = '';
    let raw: Uint8Array | AsyncIterable<Uint8Array> | undefined;
    let streaming = false;
    try {
      response = await this.#wire.send(call, abort);
      const success = response.status >= 200 && response.status < 300;
      if (success && call.responseType === 'stream') {
        streaming = true;
        abort.stopClock();
        raw = streamUntilDone(response.stream(), abort);
      } else if (success && call.responseType === 'bytes') {
        raw = await response.bytes();
      } else {
        text = await response.text();
      }
    } catch (cause) {
      if (signal?.aborted) return { kind: 'final', error: abortError(call, signal) };
      return abort.timedOut ? { kind: 'timeout' } : { kind: 'connection', cause };
    } finally {
      if (!streaming) abort.release();
    }

    const { status } = response;
    const requestId = response.header('x-request-id');
    if (this.listenerCount('response') > 0) {
      this.emit('response', {
        method: call.method,
        url: safeUrl(call),
        attempt,
        status,
        requestId,
        durationMs: stopwatch.now() - started,
        headers: redactHeaders(response.headers.entries()),
      });
    }
    this.#noteRateLimit(response);

    if (raw !== undefined) {
      return {
        kind: 'success',
        result: { data: raw as T, response: new ResponseDetails(response, requestId) },
      };
    }
    if (status >= 200 && status < 300) {
      const parsed = parseSuccessBody({
        text,
        status,
        schema: this.validateResponses ? call.schema : undefined,
        what: `${call.method} ${call.path}`,
        requestId,
      });
      if (parsed.error) return { kind: 'final', error: parsed.error };
      return {
        kind: 'success',
        result: { data: parsed.data as T, response: new ResponseDetails(response, requestId) },
      };
    }

    const problem = parseProblem(text, status, requestId);
    const { headers } = response;
    const init: APIErrorInit = {
      method: call.method,
      path: call.path,
      status,
      headers,
      requestId: requestId ?? (problem?.requestId || undefined),
      problem,
      body: problem ? '' : text,
      retryAfterMs: retryAfterMs(headers),
    };
    return { kind: 'status', init, retryable: isRetryableStatus(status, headers, problem?.code) };
  }

  /** When the window's budget is spent, holds further requests until it resets (if soon). */
  #noteRateLimit(response: WireResponse): void {
    if (response.header('x-ratelimit-remaining')?.trim() !== '0') return;
    const resetSeconds = Number(response.header('x-ratelimit-reset'));
    if (resetSeconds > 0 && resetSeconds * 1000 <= MAX_RETRY_AFTER_MS) {
      this.#scheduler.pause(resetSeconds * 1000);
    }
  }

  #fail<T>(call: Call<T>, attempts: number, error: PrismError): PrismError {
    if (this.listenerCount('error') > 0) {
      this.emit('error', { method: call.method, url: safeUrl(call), attempts, error });
    }
    return error;
  }
}

/** The URL of `call` with any key or secret in it redacted, for events and logs. */
function safeUrl(call: Call<unknown>): string {
  return redactSecrets(`${call.origin}${call.target}`);
}

/** The {@link ResponseInfo} of a response; its `Headers` are made only when read. */
class ResponseDetails implements ResponseInfo {
  readonly status: number;
  readonly requestId: string | undefined;
  readonly #response: WireResponse;

  constructor(response: WireResponse, requestId: string | undefined) {
    this.status = response.status;
    this.requestId = requestId;
    this.#response = response;
  }

  get headers(): Headers {
    return this.#response.headers;
  }
}

/**
 * The chunks of a streamed body, ending with the attempt's reason as soon as it ends (the caller's
 * signal aborted; even when the underlying body does not notice); when the caller stops reading,
 * whether the body ended, failed or was left early, the attempt is ended (which closes the
 * connection of a body left early).
 */
async function* streamUntilDone(
  chunks: AsyncIterable<Uint8Array>,
  abort: AttemptAbort,
): AsyncGenerator<Uint8Array> {
  const iterator = chunks[Symbol.asyncIterator]();
  let onAbort = () => {};
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(abort.reason);
  });
  aborted.catch(() => {});
  if (abort.ended) onAbort();
  else abort.once('abort', onAbort);
  let finished = false;
  try {
    for (;;) {
      const next = await Promise.race([iterator.next(), aborted]);
      if (next.done) {
        finished = true;
        return;
      }
      yield next.value;
    }
  } finally {
    abort.removeListener('abort', onAbort);
    abort.end(new Error('The caller stopped reading the body.'));
    if (!finished) iterator.return?.()?.catch(() => {});
  }
}
