import type { Dispatcher } from 'undici';

/** A `fetch` function: the global one, or any implementation with its signature. */
export type Fetch = (url: string, init: RequestInit) => Promise<Response>;

/** One HTTP attempt, ready to send. */
export interface WireRequest {
  /** The HTTP method, upper case. */
  method: string;
  /** The full URL. */
  url: URL;
  /** The request headers, names lower case. */
  headers: Record<string, string>;
  /** A JSON text, a multipart form, or nothing. */
  body: string | FormData | undefined;
  /** Aborts the attempt, including reading the body. */
  signal: AbortSignal;
}

/** The response to one attempt; its body is read once, under the request's signal. */
export interface WireResponse {
  /** The HTTP status. */
  status: number;
  /** The response headers. */
  headers: Headers;
  /** Reads the whole body as text. */
  text(): Promise<string>;
  /** Reads the whole body as bytes. */
  bytes(): Promise<Uint8Array>;
  /** The body's chunks as they arrive. */
  stream(): AsyncIterable<Uint8Array>;
}

/** Sends attempts over some HTTP client. */
export interface Wire {
  /** Sends one attempt; rejects when no response arrives (connection failure or abort). */
  send(request: WireRequest): Promise<WireResponse>;
  /** Closes the connections this wire opened (not a caller's dispatcher). */
  close(): Promise<void>;
}

/** How the transport reaches the server. */
export interface WireOptions {
  /** A `fetch` to use instead of undici (for tests with msw, or runtimes without undici). */
  fetch?: Fetch | undefined;
  /** An undici dispatcher (an `Agent`, a `ProxyAgent`, a `MockAgent`...) to send through. */
  dispatcher?: Dispatcher | undefined;
}

/**
 * The wire for `options`: the caller's `fetch`, else undici (the caller's dispatcher, or one
 * keep-alive `Pool` per origin). undici is loaded on the first request, so bundles for runtimes
 * without it (browsers, edge functions) can leave it out; there the global `fetch` is used.
 */
export function createWire(options: WireOptions): Wire {
  if (options.fetch) return fetchWire(options.fetch);
  const { dispatcher } = options;
  let loaded: Promise<Wire> | undefined;
  const load = () => {
    loaded ??= import('./wire-undici.js').then(
      (module) => module.undiciWire(dispatcher),
      () => fetchWire((url, init) => globalThis.fetch(url, init)),
    );
    return loaded;
  };
  return {
    send: async (request) => (await load()).send(request),
    close: async () => {
      if (loaded) await (await loaded).close();
    },
  };
}

/** A wire over a `fetch` function. */
function fetchWire(fetch: Fetch): Wire {
  return {
    async send({ method, url, headers, body, signal }) {
      const response = await fetch(url.href, { method, headers, body: body ?? null, signal });
      return {
        status: response.status,
        headers: response.headers,
        text: () => response.text(),
        bytes: async () => new Uint8Array(await response.arrayBuffer()),
        stream: () => chunksOf(response.body),
      };
    },
    close: async () => {},
  };
}

/** The chunks of a fetch body (none for a body-less response). */
async function* chunksOf(body: ReadableStream<Uint8Array> | null): AsyncGenerator<Uint8Array> {
  if (!body) return;
  const reader = body.getReader();
  let finished = false;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) {
        finished = true;
        return;
      }
      yield value;
    }
  } finally {
    if (!finished) await reader.cancel().catch(() => {});
  }
}
