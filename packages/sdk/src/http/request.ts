import type { CallOptions, PostOptions } from '../api/types.js';
import type { HttpTransport, RequestOptions } from '../client/transport.js';

/** The transport options of a call's {@link CallOptions} (and a POST's idempotency key). */
export function transportOptions(
  options: CallOptions & PostOptions = {},
): Pick<RequestOptions<unknown>, 'signal' | 'timeoutMs' | 'maxRetries' | 'idempotencyKey'> {
  const { signal, timeoutMs, maxRetries, idempotencyKey } = options;
  return { signal, timeoutMs, maxRetries, idempotencyKey };
}

/** A path with each interpolated id percent-encoded: pathOf`/v2/reviews/${id}`. */
export function pathOf(strings: TemplateStringsArray, ...ids: string[]): string {
  return strings.reduce(
    (path, part, index) =>
      path + part + (index < ids.length ? encodeURIComponent(ids[index] ?? '') : ''),
    '',
  );
}

/** Sends one request and resolves to its (checked) body. */
export async function send<T>(transport: HttpTransport, options: RequestOptions<T>): Promise<T> {
  return (await transport.request(options)).data;
}
