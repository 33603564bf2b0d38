import type { PrismError } from '../errors.js';

/** An attempt is about to be sent. Headers are already redacted (no API key, no secrets). */
export interface RequestEvent {
  /** The HTTP method, upper case. */
  method: string;
  /** The full URL, secrets in the query redacted. */
  url: string;
  /** 1 for the first attempt, 2 for the first retry, and so on. */
  attempt: number;
  /** The request headers, redacted. */
  headers: Record<string, string>;
}

/** A response arrived (any status, before it is turned into data or an error). */
export interface ResponseEvent {
  /** The HTTP method, upper case. */
  method: string;
  /** The full URL, secrets in the query redacted. */
  url: string;
  /** Which attempt this answers (1 for the first). */
  attempt: number;
  /** The HTTP status. */
  status: number;
  /** The response's `X-Request-Id`, when it has one. */
  requestId: string | undefined;
  /** From sending the attempt to reading the whole body, in milliseconds. */
  durationMs: number;
  /** The response headers, redacted. */
  headers: Record<string, string>;
}

/** An attempt failed in a way worth retrying; the next one is sent after `delayMs`. */
export interface RetryEvent {
  /** The HTTP method, upper case. */
  method: string;
  /** The full URL, secrets in the query redacted. */
  url: string;
  /** The number of the attempt that will be sent after the delay (2 for the first retry). */
  attempt: number;
  /** How long the client waits before it, in milliseconds. */
  delayMs: number;
  /** Why, in a few words: `status 503`, `rate limited`, `timeout`, `connection error`. */
  reason: string;
  /** The failure that is being retried. */
  error: PrismError;
}

/** A request failed for good (after any retries); the same error is thrown to the caller. */
export interface ErrorEvent {
  /** The HTTP method, upper case. */
  method: string;
  /** The full URL, secrets in the query redacted. */
  url: string;
  /** How many attempts were sent. */
  attempts: number;
  /** The error the caller receives. */
  error: PrismError;
}

/**
 * The lifecycle events of an HTTP transport, for logging and metrics. Per request: `request`
 * before each attempt, `response` for each response, `retry` before each retry, and `error`
 * once when it fails for good.
 */
export interface TransportEvents {
  request: [event: RequestEvent];
  response: [event: ResponseEvent];
  retry: [event: RetryEvent];
  error: [event: ErrorEvent];
}
