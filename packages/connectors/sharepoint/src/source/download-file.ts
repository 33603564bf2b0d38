import { type Client, ResponseType } from '@microsoft/microsoft-graph-client';
import { graphFailure, graphFailureFromResponse } from '../graph/graph-errors.js';
import { SharePointFileError } from './file-error.js';
import { itemPath } from './get-file.js';
import { DEFAULT_MAX_FILE_BYTES, megabytes } from './reviewable.js';
import type { SharePointFile } from './sharepoint-file.js';

/** What {@link downloadFile} accepts besides the file. */
export interface DownloadFileOptions {
  /** The largest file to take, in bytes. Default {@link DEFAULT_MAX_FILE_BYTES}. */
  maxBytes?: number;
  /** Aborts the download; the signal's reason is thrown. */
  signal?: AbortSignal;
}

/**
 * Downloads a file's content: `GET /drives/{drive-id}/items/{item-id}/content`, whose `302`
 * the Graph client follows to the pre-authenticated download URL without sending the
 * `Authorization` header to that other host. The size is checked before the request (from the
 * file's details), then against `Content-Length`, then while the body streams in: no more than
 * `maxBytes` is ever held, and the transfer stops as soon as the limit is passed.
 *
 * @throws {SharePointFileError} `file_too_large` over `maxBytes`.
 * @throws {PrismError} the Graph failures of {@link graphFailure}: `item_not_found` when the
 *   file was deleted or moved since its details were read, `access_denied`...
 */
export async function downloadFile(
  client: Client,
  file: Pick<SharePointFile, 'driveId' | 'itemId' | 'name' | 'size'>,
  options: DownloadFileOptions = {},
): Promise<Uint8Array> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_FILE_BYTES;
  const { signal } = options;
  if (file.size > maxBytes) throw tooLarge(file.name, megabytes(file.size), maxBytes);
  const action = `Downloading ${file.name} (item ${file.itemId} of drive ${file.driveId})`;
  let request = client.api(`${itemPath(file.driveId, file.itemId)}/content`);
  if (signal) request = request.option('signal', signal);
  let response: Response;
  try {
    response = (await request.responseType(ResponseType.RAW).get()) as Response;
  } catch (error) {
    signal?.throwIfAborted();
    throw graphFailure(error, action);
  }
  if (!response.ok) throw await graphFailureFromResponse(response, action);
  const declared = Number(response.headers.get('Content-Length') ?? Number.NaN);
  if (declared > maxBytes) {
    if (response.body) stop(response.body.cancel());
    throw tooLarge(file.name, megabytes(declared), maxBytes);
  }
  try {
    return await readAtMost(response.body, maxBytes, file.name);
  } catch (error) {
    signal?.throwIfAborted();
    throw error instanceof SharePointFileError ? error : graphFailure(error, action);
  }
}

/** Reads a body whole, cancelling it as soon as it passes `maxBytes`. */
async function readAtMost(
  body: ReadableStream<Uint8Array> | null,
  maxBytes: number,
  name: string,
): Promise<Uint8Array> {
  if (body === null) return new Uint8Array(0);
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      stop(reader.cancel());
      throw tooLarge(name, `over ${megabytes(maxBytes)}`, maxBytes);
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

function tooLarge(name: string, size: string, maxBytes: number): SharePointFileError {
  return new SharePointFileError(
    'file_too_large',
    `${name} is ${size}; the limit is ${megabytes(maxBytes)}.`,
    {
      hint: 'Split the document, or remove embedded media (images, attachments) to make it smaller.',
    },
  );
}

/**
 * Lets a cancelled body close in the background: the refusal need not wait for it, and a body
 * shared with another reader only finishes cancelling when that reader lets go too.
 */
function stop(cancelling: Promise<void>): void {
  cancelling.catch(() => undefined);
}
