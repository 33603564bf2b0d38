import type { ZodType } from 'zod';
import { ConnectionError, UserAbortError } from '../client/errors.js';
import { parseSuccessBody } from '../client/response-body.js';
import type { HttpTransport, RequestOptions } from '../client/transport.js';
import { parseServerSentEvents } from './sse.js';

/** A request answered with server-sent events whose `data` is JSON of `schema`. */
export type EventStreamRequest<T> = Omit<RequestOptions<T>, 'responseType' | 'schema'> & {
  /** The schema of each event's data. */
  schema: ZodType<T>;
};

/** One event of a stream: its data and the stream's last event id (for `Last-Event-ID`). */
export interface StreamedEvent<T> {
  /** The last `id:` the stream sent so far; empty when it sent none. */
  id: string;
  /** The event's JSON data. */
  data: T;
}

/**
 * Sends `request` asking for `text/event-stream` and yields each event's JSON data, checked
 * against its schema (a `ValidationError` otherwise, when validation is on). Errors before the
 * stream starts are the transport's; a stream that breaks off is a `ConnectionError`, and one the
 * caller's signal stops a `UserAbortError`.
 */
export async function* eventStream<T>(
  transport: HttpTransport,
  request: EventStreamRequest<T>,
): AsyncGenerator<StreamedEvent<T>, void, undefined> {
  const { schema, headers, ...rest } = request;
  const what = `${request.method} ${request.path}`;
  const { data: chunks, response } = await transport.request<AsyncIterable<Uint8Array>>({
    ...rest,
    headers: { accept: 'text/event-stream', ...headers },
    responseType: 'stream',
  });
  const events = parseServerSentEvents(chunks);
  for (;;) {
    let next: IteratorResult<{ id: string; data: string }>;
    try {
      next = await events.next();
    } catch (cause) {
      if (request.signal?.aborted) {
        throw new UserAbortError(`${what} was aborted by the caller's signal.`, { cause });
      }
      throw new ConnectionError(`The event stream of ${what} broke off.`, { cause });
    }
    if (next.done) return;
    const parsed = parseSuccessBody({
      text: next.value.data,
      status: response.status,
      schema: transport.validateResponses ? schema : undefined,
      what: `an event of ${what}`,
      requestId: response.requestId,
    });
    if (parsed.error) throw parsed.error;
    if (parsed.data !== undefined) yield { id: next.value.id, data: parsed.data };
  }
}
