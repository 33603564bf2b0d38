import type { UploadSource } from '../api/types.js';
import { PrismError } from '../errors.js';

/** The largest file a Prism server takes by default: 25 MB. */
export const MAX_UPLOAD_BYTES = 25 * 1024 * 1024;

/** A file read for upload. */
export interface UploadFile {
  /** The content. */
  blob: Blob;
  /** Its name: the given one, else the path's base name, else `document`. */
  filename: string;
}

/**
 * Reads an upload source, refusing more than {@link MAX_UPLOAD_BYTES} before anything is sent:
 * a path is checked with `stat` before it is read (node:fs is loaded only then, so bundles
 * without it still load), a stream as its chunks arrive.
 *
 * @throws {PrismError} `file_too_large` over the limit; `file_unreadable` for a path that cannot
 *   be read; `invalid_argument` for another source.
 */
export async function readUpload(source: UploadSource, filename?: string): Promise<UploadFile> {
  if (typeof source === 'string') return readPath(source, filename);
  const name = filename ?? 'document';
  if (source instanceof Uint8Array) {
    checkSize(source.byteLength, name);
    return { blob: new Blob([source]), filename: name };
  }
  if (source instanceof Blob) {
    checkSize(source.size, name);
    const own = (source as Partial<File>).name;
    return { blob: source, filename: filename ?? (own || name) };
  }
  if (source !== null && typeof source === 'object' && Symbol.asyncIterator in source) {
    const chunks: Uint8Array[] = [];
    let size = 0;
    for await (const chunk of source) {
      size += chunk.byteLength;
      checkSize(size, name, ' so far');
      chunks.push(chunk);
    }
    return { blob: new Blob(chunks), filename: name };
  }
  throw new PrismError(
    'invalid_argument',
    'file must be a path, a Uint8Array, a Blob or a stream of bytes.',
    {
      hint: 'Pass a path, a Buffer or Uint8Array, a Blob, or a readable stream (e.g. fs.createReadStream).',
    },
  );
}

async function readPath(path: string, filename: string | undefined): Promise<UploadFile> {
  try {
    const { readFile, stat } = await import('node:fs/promises');
    checkSize((await stat(path)).size, path);
    const bytes = await readFile(path);
    checkSize(bytes.byteLength, path);
    const base = path.split(/[\\/]/).pop() || 'document';
    return { blob: new Blob([bytes]), filename: filename ?? base };
  } catch (cause) {
    if (cause instanceof PrismError) throw cause;
    throw new PrismError('file_unreadable', `Cannot read ${path}: ${(cause as Error).message}`, {
      cause,
      hint: 'Check the path; where there is no file system (browsers, edge), pass bytes or a Blob.',
    });
  }
}

function checkSize(size: number, what: string, sizeNote = ''): void {
  if (size <= MAX_UPLOAD_BYTES) return;
  throw new PrismError(
    'file_too_large',
    `${what} is over the upload limit of ${formatMegabytes(MAX_UPLOAD_BYTES)} (${formatMegabytes(size)}${sizeNote}); nothing was sent.`,
    {
      hint: 'Split the document, or remove embedded media (images, attachments) to make it smaller.',
    },
  );
}

function formatMegabytes(bytes: number): string {
  return `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MB`;
}

/** The bytes of `blob` in base64 (without Node's Buffer, so it runs in browsers too). */
export async function blobToBase64(blob: Blob): Promise<string> {
  const bytes = new Uint8Array(await blob.arrayBuffer());
  let binary = '';
  for (let start = 0; start < bytes.length; start += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(start, start + 0x8000));
  }
  return btoa(binary);
}
