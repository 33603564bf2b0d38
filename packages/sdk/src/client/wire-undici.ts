import type { IncomingHttpHeaders } from 'node:http';
import { type Dispatcher, Pool, FormData as UndiciFormData } from 'undici';
import type { Wire } from './wire.js';

/**
 * A wire over undici: through `dispatcher` when given, else through one keep-alive `Pool` per
 * origin (undici's defaults: connections kept 4 s after use, no connection limit).
 */
export function undiciWire(dispatcher?: Dispatcher): Wire {
  const pools = new Map<string, Pool>();
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
    async send({ method, url, headers, body, signal }) {
      const response = await dispatcherFor(url.origin).request({
        origin: url.origin,
        path: `${url.pathname}${url.search}`,
        method: method as Dispatcher.HttpMethod,
        headers,
        body: body instanceof FormData ? toUndiciForm(body) : (body ?? null),
        signal,
      });
      return {
        status: response.statusCode,
        headers: toHeaders(response.headers),
        text: () => response.body.text(),
        bytes: async () => new Uint8Array(await response.body.arrayBuffer()),
        stream: () => response.body,
      };
    },
    async close() {
      const open = [...pools.values()];
      pools.clear();
      await Promise.all(open.map((pool) => pool.close()));
    },
  };
}

/**
 * undici's dispatchers take only forms of their own `FormData` class, not the global one (which
 * comes from the copy of undici inside Node): copy the entries (files are not read).
 */
function toUndiciForm(form: FormData): UndiciFormData {
  const copy = new UndiciFormData();
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
