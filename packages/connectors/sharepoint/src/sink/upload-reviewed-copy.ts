import type { Client } from '@microsoft/microsoft-graph-client';
import type { DriveItem } from '@microsoft/microsoft-graph-types';
import { GraphFailure } from '../graph/graph-errors.js';
import { ensureFolder } from './ensure-folder.js';
import { reviewedCopyName } from './reviewed-copy-name.js';
import { sinkFailure } from './sink-failure.js';
import { UPLOAD_FRAGMENT_UNIT, uploadThroughSession } from './upload-session.js';

/** The media type of a Word document. */
export const DOCX_CONTENT_TYPE =
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

/** Files up to this size (4 MiB) go up in one request; larger ones through an upload session. */
export const SIMPLE_UPLOAD_MAX_BYTES = 4 * 1024 * 1024;

/** The default fragment of an upload session: 10 MiB, 32 × 320 KiB. */
export const DEFAULT_UPLOAD_FRAGMENT = 32 * UPLOAD_FRAGMENT_UNIT;

/** Where the reviewed copy goes: into a folder by id, or a folder path from the drive's root. */
export type ReviewedCopyFolder =
  | {
      /** The folder's item id: the original's parent puts the copy next to the original. */
      parentItemId: string;
      folderPath?: never;
    }
  | {
      /** A slash-separated folder path from the root of the drive, created when missing. */
      folderPath: string;
      parentItemId?: never;
    };

/** The reviewed copy to upload, and where. */
export type ReviewedCopyUpload = ReviewedCopyFolder & {
  /** The drive of the document library. */
  driveId: string;
  /** The name of the reviewed document; the copy is named by {@link reviewedCopyName}. */
  name: string;
  /** The reviewed copy: the review's docx export, with the findings as Word comments. */
  bytes: Uint8Array;
  /** Stops the upload. */
  signal?: AbortSignal;
  /** Bytes per upload-session request, a multiple of 320 KiB. Default 10 MiB. */
  fragmentSize?: number;
  /** Failed fragments in a row tolerated before giving up. Default 3. */
  fragmentRetries?: number;
  /** The wait before resuming after a failed fragment, in milliseconds, doubled each time. Default 1000. */
  fragmentRetryDelayMs?: number;
};

/** The reviewed copy in the library. */
export interface UploadedCopy {
  /** Its drive item id. */
  id: string;
  /** Its name in the library. */
  name: string;
  /** Where people open it. */
  webUrl: string;
}

/**
 * Uploads the reviewed copy of a document into the library, replacing an earlier copy of the
 * same name, so doing it again is harmless. Up to {@link SIMPLE_UPLOAD_MAX_BYTES} it is one
 * `PUT .../content`; above, an upload session sent in fragments and resumed after failures.
 */
export async function uploadReviewedCopy(
  client: Client,
  upload: ReviewedCopyUpload,
): Promise<UploadedCopy> {
  upload.signal?.throwIfAborted();
  const name = reviewedCopyName(upload.name);
  const parentItemId =
    upload.parentItemId ??
    (await ensureFolder(client, upload.driveId, upload.folderPath ?? '', upload.signal));
  const item =
    upload.bytes.byteLength <= SIMPLE_UPLOAD_MAX_BYTES
      ? await simpleUpload(client, upload, parentItemId, name)
      : await uploadThroughSession(client, {
          driveId: upload.driveId,
          parentItemId,
          name,
          bytes: upload.bytes,
          contentType: DOCX_CONTENT_TYPE,
          fragmentSize: upload.fragmentSize ?? DEFAULT_UPLOAD_FRAGMENT,
          fragmentRetries: upload.fragmentRetries ?? 3,
          fragmentRetryDelayMs: upload.fragmentRetryDelayMs ?? 1000,
          signal: upload.signal,
        });
  return uploadedCopy(item, name);
}

/** `PUT /drives/{drive}/items/{parent}:/{name}:/content`, replacing a file of that name. */
async function simpleUpload(
  client: Client,
  upload: ReviewedCopyUpload,
  parentItemId: string,
  name: string,
): Promise<DriveItem> {
  const path = `/drives/${encodeURIComponent(upload.driveId)}/items/${encodeURIComponent(parentItemId)}:/${encodeURIComponent(name)}:/content`;
  const bytes = upload.bytes;
  try {
    return await client
      .api(path)
      .query({ '@microsoft.graph.conflictBehavior': 'replace' })
      .header('Content-Type', DOCX_CONTENT_TYPE)
      .option('signal', upload.signal)
      .put(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  } catch (error) {
    throw sinkFailure(error, upload.signal, `Uploading ${name}`);
  }
}

function uploadedCopy(item: DriveItem, name: string): UploadedCopy {
  if (typeof item.id !== 'string' || typeof item.webUrl !== 'string') {
    throw new GraphFailure(
      'graph_request_failed',
      `Graph returned no id or webUrl for the uploaded ${name}.`,
      { status: null, graphCode: null, requestId: null, retryAfterMs: null },
      {
        hint: 'Look for the copy in the library; upload it again if it is missing.',
        cause: undefined,
      },
    );
  }
  return { id: item.id, name: item.name ?? name, webUrl: item.webUrl };
}
