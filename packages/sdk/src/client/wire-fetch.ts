import type { Fetch, Wire, WireResponse } from './wire.js';

/** The global `fetch`, looked up on each call (so a replaced one is used). */
export function globalFetch(url: string, init: RequestInit): Promise<Response> {
  return globalThis.fetch(url, init);
}

/** A wire over a `fetch` function. */
export function fetchWire(fetch: Fetch): Wire {
  return {
    async send({ method, origin, target, headers, body }, abort) {
      const init = { method, headers, body: body ?? null, signal: abort.signal };
      return new FetchResponse(await fetch(origin + target, init));
    },
    close: async () => {},
  };
}

/** A `fetch` response as a {@link WireResponse}. */
class FetchResponse implements WireResponse {
  readonly #response: Response;

  constructor(response: Response) {
    this.#response = response;
  }

  get status(): number {
    return this.#response.status;
  }

  get headers(): Headers {
    return this.#response.headers;
  }

  header(name: string): string | undefined {
    return this.#response.headers.get(name) ?? undefined;
  }

  text(): Promise<string> {
    return this.#response.text();
  }

  async bytes(): Promise<Uint8Array> {
    return new Uint8Array(await this.#response.arrayBuffer());
  }

  stream(): AsyncIterable<Uint8Array> {
    return chunksOf(this.#response.body);
  }
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
