import type { IncomingHttpHeaders } from 'node:http';
import type { Dispatcher, Pool } from 'undici';
import type { AttemptAbort } from './attempt-abort.js';
import type { Wire, WireRequest, WireResponse } from './wire.js';
import { fetchWire, globalFetch } from './wire-fetch.js';

/** The undici module. */
type Undici = typeof import('undici');

/** Bytes of a streamed body held before undici is asked to stop reading the socket. */
const STREAM_HIGH_WATER_MARK = 64 * 1024;

/**
 * A wire over undici: through `dispatcher` when given, else through one keep-alive `Pool` per
 * origin (undici's defaults: connections kept 4 s after use, no connection limit). undici is
 * imported on the first request, never before; where it cannot be (a bundle that left it out),
 * the global `fetch` is used instead.
 */
export function undiciWire(dispatcher?: Dispatcher): Wire {
  const pools = new Map<string, Pool>();
  let loading: Promise<Wire> | undefined;
  let loaded: Wire | undefined;

  const overUndici = ({ Pool, FormData: UndiciFormData }: Undici): Wire => {
    const dispatcherFor = (origin: string): Dispatcher => {
      if (dispatcher) return dispatcher;
      let pool = pools.get(origin);
      if (!pool) {
        pool = new Pool(origin);
        pools.set(origin, pool);
      }
      return pool;
    };
    return {
      send(request, abort) {
        const { body } = request;
        const sent = body instanceof FormData ? copyForm(body, new UndiciFormData()) : body;
        return new UndiciExchange(abort).start(dispatcherFor(request.origin), request, sent);
      },
      close,
    };
  };
  const load = (): Promise<Wire> => {
    loading ??= import('undici').then(
      (module: Partial<Undici>) =>
        typeof module.Pool === 'function' ? overUndici(module as Undici) : fetchWire(globalFetch),
      () => fetchWire(globalFetch),
    );
    return loading.then((wire) => {
      loaded = wire;
      return wire;
    });
  };
  const close = async () => {
    const open = [...pools.values()];
    pools.clear();
    await Promise.all(open.map((pool) => pool.close()));
  };

  return {
    send: (request, abort) =>
      loaded ? loaded.send(request, abort) : load().then((wire) => wire.send(request, abort)),
    close,
  };
}

/**
 * One request sent with undici's `dispatch` and its response, read as it arrives. It does what
 * undici's `request()` does for the transport, without a Node stream for the body or an
 * `AbortSignal`, which cost more than the rest of an attempt: the body's chunks are kept until
 * read (whole for `text()` and `bytes()`; for `stream()`, undici stops reading the socket while
 * 64 KiB wait), and the attempt's end aborts the request, or only fails the wait when undici has
 * not started it yet (it is aborted as soon as it starts).
 */
class UndiciExchange implements Dispatcher.DispatchHandler, WireResponse {
  status = 0;
  readonly #abort: AttemptAbort;
  #controller: Dispatcher.DispatchController | undefined;
  #raw: IncomingHttpHeaders = {};
  #headers: Headers | undefined;
  readonly #responded: Promise<WireResponse>;
  #respond!: (response: WireResponse) => void;
  #refuse!: (error: Error) => void;
  #chunks: Buffer[] = [];
  #bufferedBytes = 0;
  #streaming = false;
  #ended = false;
  #error: Error | undefined;
  #wake: (() => void) | undefined;

  constructor(abort: AttemptAbort) {
    this.#abort = abort;
    this.#responded = new Promise<WireResponse>((resolve, reject) => {
      this.#respond = resolve;
      this.#refuse = reject;
    });
  }

  /** Dispatches `request` with `body` (a form copied for undici) and waits for the response. */
  start(
    dispatcher: Dispatcher,
    request: WireRequest,
    body: string | InstanceType<Undici['FormData']> | undefined,
  ): Promise<WireResponse> {
    const abort = this.#abort;
    if (abort.ended) {
      this.#fail(asError(abort.reason));
      return this.#responded;
    }
    abort.once('abort', () => this.#end(asError(abort.reason)));
    try {
      const { origin, target: path, method, headers } = request;
      dispatcher.dispatch(
        { origin, path, method: method as Dispatcher.HttpMethod, headers, body: body ?? null },
        this,
      );
    } catch (error) {
      this.#fail(asError(error));
    }
    return this.#responded;
  }

  get headers(): Headers {
    this.#headers ??= toHeaders(this.#raw);
    return this.#headers;
  }

  header(name: string): string | undefined {
    const value = this.#raw[name];
    return Array.isArray(value) ? value.join(', ') : value;
  }

  async text(): Promise<string> {
    const body = await this.#whole();
    // As undici's `text()`: UTF-8, without a byte order mark.
    const start = body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf ? 3 : 0;
    return body.toString('utf8', start);
  }

  async bytes(): Promise<Uint8Array> {
    const body = await this.#whole();
    const bytes = new Uint8Array(body.byteLength);
    bytes.set(body);
    return bytes;
  }

  stream(): AsyncIterable<Uint8Array> {
    this.#streaming = true;
    return this.#chunksAsTheyCome();
  }

  async *#chunksAsTheyCome(): AsyncGenerator<Uint8Array> {
    for (;;) {
      const chunk = this.#chunks.shift();
      if (chunk) {
        this.#bufferedBytes -= chunk.byteLength;
        yield chunk;
        continue;
      }
      if (this.#error) throw this.#error;
      if (this.#ended) return;
      if (this.#controller?.paused) {
        // Resuming may hand over chunks at once (and pause again): look again before waiting.
        this.#controller.resume();
        continue;
      }
      await this.#nextEvent();
    }
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.#controller = controller;
    if (this.#error) controller.abort(this.#error);
  }

  onResponseStart(
    _controller: Dispatcher.DispatchController,
    statusCode: number,
    headers: IncomingHttpHeaders,
  ): void {
    if (statusCode < 200) return;
    this.status = statusCode;
    this.#raw = headers;
    this.#respond(this);
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (this.#error) return;
    this.#chunks.push(chunk);
    this.#bufferedBytes += chunk.byteLength;
    if (this.#streaming && this.#bufferedBytes > STREAM_HIGH_WATER_MARK) controller.pause();
    this.#wakeReader();
  }

  onResponseEnd(): void {
    this.#ended = true;
    this.#wakeReader();
  }

  onResponseError(_controller: Dispatcher.DispatchController, error: Error): void {
    this.#fail(error);
  }

  /** Ends the exchange early with `error`: aborts the request unless its response is complete. */
  #end(error: Error): void {
    if (this.#ended || this.#error) return;
    this.#fail(error);
    this.#controller?.abort(error);
  }

  #fail(error: Error): void {
    if (this.#ended || this.#error) return;
    this.#error = error;
    this.#chunks = [];
    this.#refuse(error);
    this.#wakeReader();
  }

  /** The whole body, once it has arrived. */
  async #whole(): Promise<Buffer> {
    while (!this.#ended && !this.#error) await this.#nextEvent();
    if (this.#error) throw this.#error;
    const chunks = this.#chunks;
    this.#chunks = [];
    return chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks);
  }

  /** Resolves when a chunk arrives, the body ends or fails. */
  #nextEvent(): Promise<void> {
    return new Promise((resolve) => {
      this.#wake = resolve;
    });
  }

  #wakeReader(): void {
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }
}

function asError(reason: unknown): Error {
  return reason instanceof Error ? reason : new Error(String(reason));
}

/**
 * undici's dispatchers take only forms of their own `FormData` class, not the global one (which
 * comes from the copy of undici inside Node): copies the entries into `copy` (files are not read).
 */
function copyForm<F extends Pick<FormData, 'append'>>(form: FormData, copy: F): F {
  for (const [name, value] of form) {
    if (typeof value === 'string') copy.append(name, value);
    else copy.append(name, value, value.name);
  }
  return copy;
}

function toHeaders(raw: IncomingHttpHeaders): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(raw)) {
    if (Array.isArray(value)) for (const item of value) headers.append(name, item);
    else if (value !== undefined) headers.append(name, value);
  }
  return headers;
}
