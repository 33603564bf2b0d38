import type { EventEmitter } from 'eventemitter3';
import type {
  ErrorEvent,
  RequestEvent,
  ResponseEvent,
  RetryEvent,
  TransportEvents,
} from './events.js';
import { redactSecrets } from './redact.js';

/**
 * How much the transport logs: `error` one line per failed request, `warn` also each retry,
 * `info` also each response, `debug` also each attempt sent, with redacted headers.
 */
export type LogLevel = 'off' | 'error' | 'warn' | 'info' | 'debug';

/** Where log lines go; by default, standard error. */
export type LogSink = (line: string) => void;

const levels: readonly LogLevel[] = ['off', 'error', 'warn', 'info', 'debug'];

/**
 * The level named by the `PRISM_LOG` environment variable (`debug`, `info`, `warn`, `error`,
 * `off`), or `undefined` when it is unset, unknown, or there is no environment (a browser).
 */
export function logLevelFromEnv(): LogLevel | undefined {
  const value = typeof process === 'undefined' ? undefined : process.env.PRISM_LOG;
  const level = value?.trim().toLowerCase();
  return levels.find((known) => known === level);
}

function writeToStderr(line: string): void {
  if (typeof process !== 'undefined' && process.stderr) process.stderr.write(`${line}\n`);
  else console.error(line);
}

/**
 * Logs the transport's events at `level` to `sink`, one line per event. Lines never hold the
 * API key or other secrets: the events carry redacted headers and URLs, and every line is
 * redacted once more before it is written. Returns a function that stops logging.
 */
export function attachLogger(
  emitter: EventEmitter<TransportEvents>,
  level: LogLevel,
  sink: LogSink = writeToStderr,
): () => void {
  const rank = levels.indexOf(level);
  const enabled = (minimum: LogLevel) => rank >= levels.indexOf(minimum);
  const write = (line: string) => sink(redactSecrets(`[prism] ${line}`));
  const headersPart = (headers: Record<string, string>) =>
    enabled('debug') ? ` headers=${JSON.stringify(headers)}` : '';

  const onRequest = (event: RequestEvent) =>
    write(
      `request ${event.method} ${event.url} attempt=${event.attempt}${headersPart(event.headers)}`,
    );
  const onResponse = (event: ResponseEvent) =>
    write(
      `response ${event.status} ${event.method} ${event.url} attempt=${event.attempt}` +
        ` requestId=${event.requestId ?? '-'} durationMs=${Math.round(event.durationMs)}` +
        headersPart(event.headers),
    );
  const onRetry = (event: RetryEvent) =>
    write(
      `retry ${event.method} ${event.url} attempt=${event.attempt} delayMs=${event.delayMs}` +
        ` reason=${JSON.stringify(event.reason)}`,
    );
  const onError = (event: ErrorEvent) =>
    write(
      `error ${event.method} ${event.url} attempts=${event.attempts} code=${event.error.code}` +
        ` message=${JSON.stringify(event.error.message)}`,
    );

  if (enabled('debug')) emitter.on('request', onRequest);
  if (enabled('info')) emitter.on('response', onResponse);
  if (enabled('warn')) emitter.on('retry', onRetry);
  if (enabled('error')) emitter.on('error', onError);
  return () => {
    emitter.off('request', onRequest);
    emitter.off('response', onResponse);
    emitter.off('retry', onRetry);
    emitter.off('error', onError);
  };
}
