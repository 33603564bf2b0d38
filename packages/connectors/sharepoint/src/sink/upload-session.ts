import { setTimeout as sleep } from 'node:timers/promises';
import { type Client, GraphError } from '@microsoft/microsoft-graph-client';
import type { DriveItem, UploadSession } from '@microsoft/microsoft-graph-types';
import { GraphFailure } from '../graph/graph-errors.js';
import { SinkError } from './sink-error.js';
import { sinkFailure } from './sink-failure.js';

/** Graph wants every fragment but the last to be a multiple of 320 KiB. */
export const UPLOAD_FRAGMENT_UNIT = 320 * 1024;

/** The largest fragment Graph accepts in one request: 60 MiB. */
export const MAX_UPLOAD_FRAGMENT = 60 * 1024 * 1024;

/** What to upload where, and how patiently. */
export interface SessionUpload {
  /** The drive the file goes to. */
  driveId: string;
  /** The folder it goes into. */
  parentItemId: string;
  /** Its name; a file of that name is replaced. */
  name: string;
  /** Its content. */
  bytes: Uint8Array;
  /** Its media type. */
  contentType: string;
  /** Bytes sent per request: a multiple of {@link UPLOAD_FRAGMENT_UNIT}. */
  fragmentSize: number;
  /** Fragment failures in a row tolerated before giving up. */
  fragmentRetries: number;
  /** The wait before resuming after the first failure, in milliseconds; doubled each time. */
  fragmentRetryDelayMs: number;
  /** Stops the upload between requests and aborts the one in flight. */
  signal?: AbortSignal | undefined;
}

/** A byte range, both ends included. */
interface ByteRange {
  start: number;
  end: number;
}

/**
 * Uploads a file through an upload session: `createUploadSession` with
 * `conflictBehavior: replace`, then the bytes in fragments with `Content-Range`. When a fragment
 * fails (5xx after the client's own retries, 416, no answer, or the session lost), the session's
 * `nextExpectedRanges` say where to go on; a session that is gone is started again, which the
 * `replace` behaviour makes safe.
 *
 * @returns the uploaded DriveItem.
 */
export async function uploadThroughSession(
  client: Client,
  upload: SessionUpload,
): Promise<DriveItem> {
  checkFragmentSize(upload.fragmentSize);
  const total = upload.bytes.byteLength;
  const whole: ByteRange = { start: 0, end: total - 1 };
  let uploadUrl = await createSession(client, upload);
  let next = whole;
  let failures = 0;
  let resume = false;
  for (;;) {
    upload.signal?.throwIfAborted();
    try {
      if (resume) {
        const missing = await missingRange(client, uploadUrl, total, upload.signal);
        if (missing === null) {
          uploadUrl = await createSession(client, upload);
          next = whole;
        } else {
          next = missing;
        }
        resume = false;
      }
      if (next.start > next.end) {
        throw unexpectedAnswer(`Every byte of ${upload.name} was sent but Graph returned no file.`);
      }
      const last = Math.min(next.start + upload.fragmentSize - 1, next.end);
      const reply = await putFragment(client, uploadUrl, upload, { start: next.start, end: last });
      if (typeof reply.id === 'string') return reply;
      next = firstRange(reply.nextExpectedRanges, total) ?? { start: last + 1, end: total - 1 };
      failures = 0;
    } catch (error) {
      if (upload.signal?.aborted || !isResumable(error) || failures >= upload.fragmentRetries) {
        throw sinkFailure(error, upload.signal, `Uploading ${upload.name}`);
      }
      const delay = upload.fragmentRetryDelayMs * 2 ** failures;
      await sleep(delay, undefined, { signal: upload.signal }).catch(() => undefined);
      upload.signal?.throwIfAborted();
      failures += 1;
      resume = true;
    }
  }
}

/** Starts an upload session for the file and gives its upload URL. */
async function createSession(client: Client, upload: SessionUpload): Promise<string> {
  const path = `/drives/${encodeURIComponent(upload.driveId)}/items/${encodeURIComponent(upload.parentItemId)}:/${encodeURIComponent(upload.name)}:/createUploadSession`;
  let session: UploadSession;
  try {
    session = await client
      .api(path)
      .option('signal', upload.signal)
      .post({ item: { '@microsoft.graph.conflictBehavior': 'replace', name: upload.name } });
  } catch (error) {
    throw sinkFailure(error, upload.signal, `Starting the upload of ${upload.name}`);
  }
  if (typeof session.uploadUrl !== 'string') {
    throw unexpectedAnswer(`The upload session for ${upload.name} came without an uploadUrl.`);
  }
  return session.uploadUrl;
}

/**
 * Sends one fragment. The upload URL is pre-authenticated: being no Graph URL, the client's
 * authentication step leaves it without an `Authorization` header, as Graph requires.
 */
async function putFragment(
  client: Client,
  uploadUrl: string,
  upload: SessionUpload,
  range: ByteRange,
): Promise<DriveItem & UploadSession> {
  const bytes = upload.bytes;
  // A Buffer view of the range: the client sends a Buffer as it is, but copies a whole
  // Uint8Array's underlying buffer, ignoring its offset and length.
  const fragment = Buffer.from(
    bytes.buffer,
    bytes.byteOffset + range.start,
    range.end - range.start + 1,
  );
  return client
    .api(uploadUrl)
    .headers({
      'Content-Type': upload.contentType,
      'Content-Length': String(fragment.byteLength),
      'Content-Range': `bytes ${range.start}-${range.end}/${bytes.byteLength}`,
    })
    .option('signal', upload.signal)
    .put(fragment);
}

/** The first range the session still misses, or null when the session is gone. */
async function missingRange(
  client: Client,
  uploadUrl: string,
  total: number,
  signal: AbortSignal | undefined,
): Promise<ByteRange | null> {
  try {
    const session: UploadSession = await client.api(uploadUrl).option('signal', signal).get();
    return firstRange(session.nextExpectedRanges, total);
  } catch (error) {
    if (error instanceof GraphError && error.statusCode === 404) return null;
    throw error;
  }
}

/** The first of `nextExpectedRanges` ("start-end" or "start-"), or null when there is none. */
function firstRange(ranges: string[] | null | undefined, total: number): ByteRange | null {
  const first = ranges?.[0];
  if (first === undefined) return null;
  const [start, end] = first.split('-');
  const from = Number(start);
  if (start === undefined || start === '' || !Number.isInteger(from)) return null;
  const to = end === undefined || end === '' ? total - 1 : Number(end);
  return { start: from, end: Number.isInteger(to) ? Math.min(to, total - 1) : total - 1 };
}

/** Whether a fragment failure may be resumed from the session's state. */
function isResumable(error: unknown): boolean {
  if (!(error instanceof GraphError)) return false;
  const status = error.statusCode;
  return status <= 0 || status >= 500 || status === 404 || status === 416;
}

/** Graph answered in a way the upload cannot go on from. */
function unexpectedAnswer(message: string): GraphFailure {
  return new GraphFailure(
    'graph_request_failed',
    message,
    { status: null, graphCode: null, requestId: null, retryAfterMs: null },
    {
      hint: 'Try the upload again; if it keeps failing, report it to the administrator.',
      cause: undefined,
    },
  );
}

function checkFragmentSize(size: number): void {
  if (
    !Number.isInteger(size) ||
    size <= 0 ||
    size % UPLOAD_FRAGMENT_UNIT !== 0 ||
    size > MAX_UPLOAD_FRAGMENT
  ) {
    throw new SinkError(
      'invalid_argument',
      `An upload fragment of ${size} bytes is not a multiple of 320 KiB up to 60 MiB.`,
      {
        hint: `Use a fragment size of n × ${UPLOAD_FRAGMENT_UNIT} bytes, at most ${MAX_UPLOAD_FRAGMENT}.`,
      },
    );
  }
}
