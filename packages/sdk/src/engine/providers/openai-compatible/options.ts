import type { Dispatcher } from 'undici';
import { PrismError } from '../../../errors.js';
import { ModelError } from '../model/model-error.js';

/** OpenAI's own API: the base URL used when neither `baseUrl` nor `OPENAI_BASE_URL` is set. */
export const OPENAI_BASE_URL = 'https://api.openai.com/v1';

/** How long a call may wait for the service by default, in milliseconds (two minutes). */
export const DEFAULT_MODEL_TIMEOUT_MS = 120_000;

/**
 * How a client reaches a service that speaks OpenAI's chat completions API. The defaults follow
 * the OpenAI SDKs: `OPENAI_BASE_URL` and `OPENAI_API_KEY` from the environment.
 *
 * - OpenAI: `{ model: 'gpt-4o' }` with `OPENAI_API_KEY` set.
 * - Azure OpenAI: spread {@link azureOpenAIOptions} (deployment URL, `api-key` header,
 *   `api-version` query); or, with Azure's v1 API, `baseUrl:
 *   'https://<resource>.openai.azure.com/openai/v1'` and the resource's key as `apiKey`.
 * - Ollama: `{ model: 'llama3.1', baseUrl: 'http://localhost:11434/v1' }`, no key.
 * - vLLM (`vllm serve <model>`): `baseUrl: 'http://localhost:8000/v1'`; a key only when the
 *   server was started with `--api-key`.
 */
export interface OpenAICompatibleOptions {
  /** The model (for Azure OpenAI's deployment URLs, the deployment name). */
  model: string;
  /**
   * The API's base URL, up to and including its version path; `/chat/completions` is appended.
   * Default: `OPENAI_BASE_URL`, else `https://api.openai.com/v1`.
   */
  baseUrl?: string | undefined;
  /**
   * The API key. Default: `OPENAI_API_KEY`. Required for `api.openai.com`; other services (Ollama,
   * vLLM) may need none, and then no key is sent.
   */
  apiKey?: string | undefined;
  /**
   * The header that carries the key: `authorization` (`Bearer <key>`, the default) or `api-key`
   * (the bare key, as Azure OpenAI's deployment URLs take it).
   */
  apiKeyHeader?: 'authorization' | 'api-key' | undefined;
  /** More headers sent with every request (a gateway's, or an Entra ID `authorization`). */
  headers?: Record<string, string> | undefined;
  /** Query parameters added to every request URL (Azure OpenAI's `api-version`). */
  query?: Record<string, string> | undefined;
  /**
   * The most milliseconds to wait for an answer to begin, and then between two of its pieces
   * (undici's `headersTimeout` and `bodyTimeout`); past it a call fails with `model_timeout`.
   * Default: 120 000.
   */
  timeoutMs?: number | undefined;
  /**
   * The request field that limits the answer's tokens. `max_tokens` (the default) is the one every
   * compatible service honours: Ollama ignores `max_completion_tokens`, and older Azure OpenAI API
   * versions refuse it. OpenAI's reasoning models (o-series, gpt-5) refuse `max_tokens` and need
   * `max_completion_tokens`.
   */
  maxTokensParameter?: 'max_tokens' | 'max_completion_tokens' | undefined;
  /** An undici dispatcher (an `Agent`, a `ProxyAgent`...) to send through; default undici's global one. */
  dispatcher?: Dispatcher | undefined;
}

/** The options of a client, checked and completed with their defaults. */
export interface ServiceSettings {
  /** The model sent in each request. */
  model: string;
  /** The full chat completions URL, with the query. */
  url: URL;
  /** The headers of every request (the key included), names lower case. */
  headers: Record<string, string>;
  /** The key, to keep it out of error messages. */
  apiKey: string | undefined;
  /** See {@link OpenAICompatibleOptions.timeoutMs}. */
  timeoutMs: number;
  /** See {@link OpenAICompatibleOptions.maxTokensParameter}. */
  maxTokensParameter: 'max_tokens' | 'max_completion_tokens';
  /** See {@link OpenAICompatibleOptions.dispatcher}. */
  dispatcher: Dispatcher | undefined;
}

/**
 * Checks `options` and fills in the defaults. Throws a `PrismError` (`invalid_argument`) for an
 * empty model, a base URL that is not http(s) or a bad timeout, and a {@link ModelError}
 * (`model_access_denied`) when no key is given for OpenAI's own API.
 */
export function resolveSettings(options: OpenAICompatibleOptions): ServiceSettings {
  const model = options.model?.trim() ?? '';
  if (!model) {
    throw new PrismError(
      'invalid_argument',
      'No model is named for the openai-compatible client.',
      {
        hint: 'Pass `model`: the model name, or for Azure OpenAI the deployment name.',
      },
    );
  }
  const url = chatCompletionsUrl(options.baseUrl ?? envValue('OPENAI_BASE_URL') ?? OPENAI_BASE_URL);
  for (const [name, value] of Object.entries(options.query ?? {}))
    url.searchParams.set(name, value);

  const apiKey = options.apiKey ?? envValue('OPENAI_API_KEY');
  if (!apiKey && url.hostname === 'api.openai.com') {
    throw new ModelError('model_access_denied', 'No API key is set for the OpenAI API.', {
      hint: 'Set OPENAI_API_KEY, or pass `apiKey`.',
    });
  }

  const timeoutMs = options.timeoutMs ?? DEFAULT_MODEL_TIMEOUT_MS;
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) {
    throw new PrismError(
      'invalid_argument',
      `The timeout ${timeoutMs} ms is not a positive number.`,
      {
        hint: 'Pass `timeoutMs` in milliseconds, e.g. 120000.',
      },
    );
  }

  const headers: Record<string, string> = {};
  if (apiKey) {
    if (options.apiKeyHeader === 'api-key') headers['api-key'] = apiKey;
    else headers.authorization = `Bearer ${apiKey}`;
  }
  for (const [name, value] of Object.entries(options.headers ?? {})) {
    headers[name.toLowerCase()] = value;
  }

  return {
    model,
    url,
    headers,
    apiKey,
    timeoutMs,
    maxTokensParameter: options.maxTokensParameter ?? 'max_tokens',
    dispatcher: options.dispatcher,
  };
}

/** How messages name the service and model: `<origin> (model <model>)`, never the key. */
export function serviceName(settings: ServiceSettings): string {
  return `${settings.url.origin} (model ${settings.model})`;
}

/** `<baseUrl>/chat/completions`, keeping a query the base URL has. */
function chatCompletionsUrl(baseUrl: string): URL {
  let url: URL | undefined;
  try {
    url = new URL(baseUrl);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
    throw new PrismError('invalid_argument', `The base URL "${baseUrl}" is not an http(s) URL.`, {
      hint: 'Pass `baseUrl` (or set OPENAI_BASE_URL) as e.g. https://api.openai.com/v1 or http://localhost:11434/v1.',
    });
  }
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/chat/completions`;
  return url;
}

/** An environment variable, when set and not empty. */
export function envValue(name: string): string | undefined {
  const value = globalThis.process?.env?.[name];
  return value ? value : undefined;
}
