import type { CallOptions, ExportFile, ExportsApi } from '../api/types.js';
import type { HttpTransport } from '../client/transport.js';
import type { ExportFormat } from '../schema/reviews.js';
import { pathOf, transportOptions } from './request.js';

/** The media type and file extension of each export format, for a response that omits them. */
const formats: Record<ExportFormat, { contentType: string; extension: string }> = {
  json: { contentType: 'application/json', extension: 'json' },
  markdown: { contentType: 'text/markdown', extension: 'md' },
  sarif: { contentType: 'application/sarif+json', extension: 'sarif' },
  docx: {
    contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    extension: 'docx',
  },
};

/** `prism.exports` over HTTP: the file's bytes, media type and name as the server sent them. */
export class HttpExports implements ExportsApi {
  readonly #transport: HttpTransport;

  constructor(transport: HttpTransport) {
    this.#transport = transport;
  }

  async get(reviewId: string, format: ExportFormat, options?: CallOptions): Promise<ExportFile> {
    const known = formats[format];
    const { data, response } = await this.#transport.request<Uint8Array>({
      method: 'GET',
      path: pathOf`/v2/reviews/${reviewId}/export`,
      query: { format },
      headers: { accept: `${known.contentType}, application/problem+json` },
      responseType: 'bytes',
      ...transportOptions(options),
    });
    return {
      format,
      contentType: response.headers.get('content-type') ?? known.contentType,
      filename:
        filenameOf(response.headers.get('content-disposition')) ?? `${reviewId}.${known.extension}`,
      body: data,
    };
  }
}

/**
 * The file name of a `Content-Disposition` header: `filename*=UTF-8''...` (RFC 6266, preferred)
 * or `filename="..."`; only its base name, so it is safe to write next to other files.
 */
export function filenameOf(header: string | null): string | undefined {
  if (!header) return undefined;
  const extended = /filename\*\s*=\s*(?:UTF-8|utf-8)''([^;]+)/.exec(header)?.[1];
  let name: string | undefined;
  if (extended) {
    try {
      name = decodeURIComponent(extended.trim());
    } catch {
      name = undefined;
    }
  }
  name ??= /filename\s*=\s*(?:"((?:\\.|[^"\\])*)"|([^;\s]+))/
    .exec(header)
    ?.slice(1)
    .find((part) => part !== undefined)
    ?.replace(/\\(.)/g, '$1');
  const base = name?.split(/[\\/]/).pop()?.trim();
  return base && base !== '.' && base !== '..' ? base : undefined;
}
