import { createHash } from 'node:crypto';
import type { FastifyRequest } from 'fastify';

/**
 * JSON with every object's keys in code-point order and no spaces, so two bodies that differ only
 * in key order or formatting have the same text. Members whose value is `undefined` are left out,
 * as `JSON.stringify` does.
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) {
    const items = value.map((item) => (item === undefined ? 'null' : canonicalJson(item)));
    return `[${items.join(',')}]`;
  }
  if (value !== null && typeof value === 'object') {
    const members = Object.keys(value)
      .sort()
      .flatMap((key) => {
        const member = (value as Record<string, unknown>)[key];
        return member === undefined ? [] : [`${JSON.stringify(key)}:${canonicalJson(member)}`];
      });
    return `{${members.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * What makes two requests the same request, as a SHA-256 hex digest: the method, the URL (path
 * and query) and the body. A JSON body counts by its {@link canonicalJson}; a multipart upload
 * by its fields (the `file` field being the file's name) and the uploaded file's bytes; a body
 * a content parser left as text or bytes, by those.
 */
export function requestFingerprint(request: FastifyRequest): string {
  const hash = createHash('sha256').update(`${request.method} ${request.url}\n`);
  const body: unknown = request.body;
  if (typeof body === 'string') hash.update('text\n').update(body);
  else if (body instanceof Uint8Array) hash.update('bytes\n').update(body);
  else hash.update('json\n').update(canonicalJson(body ?? null));
  if (request.upload) hash.update('\nfile\n').update(request.upload.bytes);
  return hash.digest('hex');
}
