import type { PrismError } from '../errors.js';
import {
  type APIErrorInit,
  apiErrorFor,
  ConnectionError,
  formatSeconds,
  TimeoutError,
  UserAbortError,
} from './errors.js';
import { MAX_RETRY_AFTER_MS } from './retry.js';

/** Why an attempt produced no data. */
export type Failure =
  | { kind: 'status'; init: APIErrorInit; retryable: boolean }
  | { kind: 'connection'; cause: unknown }
  | { kind: 'timeout' }
  | { kind: 'final'; error: PrismError };

/** The request a failure happened to, for messages. */
export interface FailedRequest {
  /** The HTTP method. */
  method: string;
  /** The path after the base URL. */
  path: string;
  /** The server's origin. */
  origin: string;
  /** The timeout of each attempt, in milliseconds. */
  timeoutMs: number;
}

/**
 * The error a failure is reported as, after `attempts` attempts; `retryable` says whether the
 * failure was worth retrying (the message then says that the client gave up).
 */
export function errorForFailure(
  request: FailedRequest,
  failure: Failure,
  attempts: number,
  retryable: boolean,
): PrismError {
  const what = `${request.method} ${request.path}`;
  const tries = attempts > 1 ? ` (${attempts} attempts)` : '';
  switch (failure.kind) {
    case 'final':
      return failure.error;
    case 'timeout':
      return new TimeoutError(
        `${what} got no whole response within ${request.timeoutMs} ms${tries}.`,
        request.timeoutMs,
      );
    case 'connection':
      return new ConnectionError(
        `${what} could not reach ${request.origin}: ${describeCause(failure.cause)}${tries}.`,
        { cause: failure.cause },
      );
    case 'status':
      return apiErrorFor({ ...failure.init, note: statusNote(failure.init, attempts, retryable) });
  }
}

/** The error of a request its caller's signal aborted. */
export function abortError(
  request: FailedRequest,
  signal: AbortSignal | undefined,
): UserAbortError {
  return new UserAbortError(
    `${request.method} ${request.path} was aborted by the caller's signal.`,
    { cause: signal?.reason },
  );
}

/** Why a failure is retried, in a few words: `status 503`, `rate limited`, `timeout`... */
export function retryReason(failure: Failure): string {
  switch (failure.kind) {
    case 'status':
      return failure.init.status === 429 ? 'rate limited' : `status ${failure.init.status}`;
    case 'timeout':
      return 'timeout';
    default:
      return 'connection error';
  }
}

function statusNote(init: APIErrorInit, attempts: number, retryable: boolean): string | undefined {
  const asked = init.retryAfterMs;
  if (retryable && asked !== undefined && asked > MAX_RETRY_AFTER_MS) {
    return (
      `The server asked to wait ${formatSeconds(asked)}, longer than the ` +
      `${formatSeconds(MAX_RETRY_AFTER_MS)} this client waits on its own, so it was not retried.`
    );
  }
  const tries = retryable && attempts > 1 ? `Gave up after ${attempts} attempts.` : undefined;
  const wait =
    asked !== undefined && init.status === 429
      ? `The server asked to wait ${formatSeconds(asked)}.`
      : undefined;
  return [tries, wait].filter(Boolean).join(' ') || undefined;
}

/** The messages (and codes) of an error and its causes: `fetch failed: ECONNRESET read ECONNRESET`. */
function describeCause(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current instanceof Error; depth += 1) {
    const code = (current as { code?: unknown }).code;
    parts.push(typeof code === 'string' ? `${code} ${current.message}` : current.message);
    current = current.cause;
  }
  return parts.length > 0 ? parts.join(': ') : String(error);
}
