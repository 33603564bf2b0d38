import type { Dispatcher } from 'undici';
import { userAgent } from '../../../client/version.js';
import { errorFromStatus, failureToThrow } from './errors.js';
import type { ServiceSettings } from './options.js';

/** The body of a successful response, read once. */
export type ResponseBody = Dispatcher.ResponseData['body'];

let undici: Promise<typeof import('undici')> | undefined;

/**
 * POSTs `body` as JSON to the chat completions URL, once (Prism retries around the client), and
 * resolves with the response's body when its status is 2xx. Throws a `ModelError` mapped from a
 * failure status or a failed connection, or the caller's abort reason when `signal` aborts. undici
 * is imported on the first call, never before.
 */
export async function postChatCompletions(
  settings: ServiceSettings,
  body: object,
  accept: 'application/json' | 'text/event-stream',
  signal: AbortSignal | undefined,
): Promise<ResponseBody> {
  signal?.throwIfAborted();
  try {
    undici ??= import('undici');
    const { request } = await undici;
    const response = await request(settings.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept,
        'user-agent': userAgent(),
        ...settings.headers,
      },
      body: JSON.stringify(body),
      signal,
      dispatcher: settings.dispatcher,
      headersTimeout: settings.timeoutMs,
      bodyTimeout: settings.timeoutMs,
    });
    if (response.statusCode >= 200 && response.statusCode < 300) return response.body;
    const text = await response.body.text();
    const header = (name: string) => headerValue(response.headers[name]);
    throw errorFromStatus(response.statusCode, header, text, settings);
  } catch (cause) {
    throw failureToThrow(cause, settings, signal);
  }
}

/** Reads a successful response's whole body as text. */
export async function readText(
  body: ResponseBody,
  settings: ServiceSettings,
  signal: AbortSignal | undefined,
): Promise<string> {
  try {
    return await body.text();
  } catch (cause) {
    throw failureToThrow(cause, settings, signal);
  }
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(', ') : value;
}
