import type { IncomingMessage } from 'node:http';

/** The largest request body the consumer reads: 1 MB. */
export const MAX_BODY_BYTES = 1024 * 1024;

/** A request body larger than the limit; answer it with 413. */
export class BodyTooLargeError extends Error {
  constructor(limit: number) {
    super(`The request body is larger than ${limit} bytes.`);
    this.name = 'BodyTooLargeError';
  }
}

/**
 * The raw request body, byte for byte: the signature covers these exact bytes, so the body is
 * never parsed and re-serialised before verification.
 *
 * @throws {BodyTooLargeError} as soon as `Content-Length` or the bytes read pass `limit`.
 */
export function readRawBody(request: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    if (Number(request.headers['content-length'] ?? 0) > limit) {
      reject(new BodyTooLargeError(limit));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        request.off('data', onData);
        reject(new BodyTooLargeError(limit));
        return;
      }
      chunks.push(chunk);
    };
    request.on('data', onData);
    request.once('end', () => resolve(Buffer.concat(chunks)));
    request.once('error', reject);
  });
}
