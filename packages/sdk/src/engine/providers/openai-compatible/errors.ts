import { REDACTED } from '../../../client/redact.js';
import { ModelError, type ModelErrorCode } from '../model/model-error.js';
import { parseJson } from './answers.js';
import { type ServiceSettings, serviceName } from './options.js';

/** What a service said about a failure. */
export interface ServiceErrorDetail {
  /** The service's message. */
  message: string | undefined;
  /** OpenAI's `type` (`invalid_request_error`, `insufficient_quota`...). */
  type: string | undefined;
  /** OpenAI's `code` (`context_length_exceeded`...), or vLLM's HTTP status. */
  code: string | number | undefined;
}

/** A message saying that the input is longer than the model's context (OpenAI, vLLM, llama.cpp). */
const CONTEXT_EXCEEDED = /context (?:length|window|size)|too many tokens/i;

/** Longest part of a service's message kept in an error's message. */
const MESSAGE_LIMIT = 500;

/**
 * The detail of an error body: OpenAI's `{"error": {"message", "type", "param", "code"}}` (which
 * Azure OpenAI, Ollama and vLLM answer too), `{"error": "<message>"}`, or the flat
 * `{"object": "error", "message", "type", "code"}` of older vLLM versions.
 */
export function serviceErrorDetail(body: unknown): ServiceErrorDetail {
  const root = asRecord(body);
  const error = root?.error;
  const info = typeof error === 'string' ? { message: error } : (asRecord(error) ?? root ?? {});
  return {
    message: asText(info.message),
    type: asText(info.type),
    code: typeof info.code === 'number' ? info.code : asText(info.code),
  };
}

/** The error for a response with a failure status, from its body and `Retry-After` headers. */
export function errorFromStatus(
  status: number,
  header: (name: string) => string | undefined,
  body: string,
  settings: ServiceSettings,
): ModelError {
  const detail = serviceErrorDetail(parseJson(body));
  const said = detail.message ?? (body.trim() || 'no message');
  return errorFromDetail(
    status,
    detail,
    `answered ${status}: ${said}`,
    settings,
    retryAfterMs(header),
  );
}

/** The error for an `error` event in the middle of a stream (as a 500 unless it names a status). */
export function errorFromStreamEvent(
  detail: ServiceErrorDetail,
  settings: ServiceSettings,
): ModelError {
  const status =
    typeof detail.code === 'number' && detail.code >= 400 && detail.code < 600 ? detail.code : 500;
  const said = `failed in the middle of the answer: ${detail.message ?? 'no message'}`;
  return errorFromDetail(status, detail, said, settings, undefined);
}

/**
 * What to throw for a failure without a response (the connection failed, or undici's timeout
 * fired): the caller's abort reason when `signal` aborted, a {@link ModelError} as it is, else a
 * `model_timeout` or `model_unavailable` error.
 */
export function failureToThrow(
  cause: unknown,
  settings: ServiceSettings,
  signal: AbortSignal | undefined,
): unknown {
  if (signal?.aborted) return signal.reason;
  if (cause instanceof ModelError) return cause;
  const where = serviceName(settings);
  const code = asRecord(cause)?.code;
  if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') {
    return new ModelError(
      'model_timeout',
      `${where} did not answer within ${settings.timeoutMs} ms.`,
      {
        hint: 'Raise `timeoutMs`, or send a shorter input.',
        cause,
      },
    );
  }
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new ModelError(
    'model_unavailable',
    redact(`Could not reach ${where}: ${reason}`, settings),
    {
      hint: 'Check `baseUrl` and that the service is running; Prism retries the call.',
      cause,
    },
  );
}

/**
 * How long the service asked to wait, in milliseconds: `retry-after-ms` (Azure OpenAI, read first
 * as the OpenAI SDKs do), else `retry-after` in seconds or as an HTTP date.
 */
export function retryAfterMs(header: (name: string) => string | undefined): number | undefined {
  const milliseconds = Number.parseFloat(header('retry-after-ms') ?? '');
  if (Number.isFinite(milliseconds) && milliseconds >= 0) return milliseconds;
  const value = header('retry-after')?.trim();
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return seconds >= 0 ? seconds * 1000 : undefined;
  const date = Date.parse(value);
  return Number.isFinite(date) ? Math.max(0, date - Date.now()) : undefined;
}

function errorFromDetail(
  status: number,
  detail: ServiceErrorDetail,
  said: string,
  settings: ServiceSettings,
  retryAfter: number | undefined,
): ModelError {
  const [code, hint] = classify(status, detail);
  const shortened = said.length > MESSAGE_LIMIT ? `${said.slice(0, MESSAGE_LIMIT)}…` : said;
  const message = redact(`${serviceName(settings)} ${shortened}`, settings);
  return new ModelError(code, message, {
    hint,
    ...(code === 'model_throttled' && retryAfter !== undefined ? { retryAfterMs: retryAfter } : {}),
  });
}

/** The code and hint for a failure status and what the service said. */
function classify(status: number, detail: ServiceErrorDetail): [ModelErrorCode, string] {
  const code = String(detail.code ?? '');
  if (code === 'insufficient_quota' || detail.type === 'insufficient_quota') {
    return [
      'model_access_denied',
      "The account has no quota left: check the plan and billing details of the key's account.",
    ];
  }
  const refusedInput = status === 400 || status === 413 || status >= 500;
  if (
    code === 'context_length_exceeded' ||
    status === 413 ||
    (refusedInput && CONTEXT_EXCEEDED.test(detail.message ?? ''))
  ) {
    return [
      'model_input_too_long',
      'Split the input into smaller sections, or use a model with a longer context window.',
    ];
  }
  if (status === 429) {
    return [
      'model_throttled',
      "The account's rate limit was reached: Prism waits and retries; lower the concurrency if it persists.",
    ];
  }
  if (status === 401 || status === 403) {
    return [
      'model_access_denied',
      'Check the API key (`apiKey` or OPENAI_API_KEY; for Azure OpenAI, a key of the resource) and that it may use this model.',
    ];
  }
  if (status === 404) {
    return [
      'model_not_found',
      'Check the model name (for Azure OpenAI, the deployment name; for Ollama, pull the model first) and that `baseUrl` ends with the API version path, e.g. /v1.',
    ];
  }
  if (status === 408) return ['model_timeout', 'The service timed out: Prism retries the call.'];
  if (status >= 500) {
    return ['model_unavailable', 'The service failed: Prism retries the call.'];
  }
  return [
    'model_request_invalid',
    'The service refused the request: check that the model supports tool calls (function calling) and the options sent.',
  ];
}

/** `text` without the API key. */
function redact(text: string, settings: ServiceSettings): string {
  return settings.apiKey ? text.replaceAll(settings.apiKey, REDACTED) : text;
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null
    ? (value as Record<string, unknown>)
    : undefined;
}

function asText(value: unknown): string | undefined {
  return typeof value === 'string' && value ? value : undefined;
}
