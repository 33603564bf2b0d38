import type { FastifyRequest } from 'fastify';
import { RequestError } from './problems.js';

/** The largest upload the server takes: 25 MB, as the SDK checks before sending. */
export const MAX_UPLOAD_BYTES = 25 * 1024 * 1024;

/** A file received in a multipart upload. */
export interface UploadedFile {
  /** Its name as the client sent it. */
  filename: string;
  /** Its bytes. */
  bytes: Uint8Array;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The file of a multipart upload, read before validation. */
    upload?: UploadedFile;
  }
}

/** The refusal of an upload over {@link MAX_UPLOAD_BYTES}, however it was sent. */
export function uploadTooLarge(): RequestError {
  return new RequestError(413, 'file_too_large', 'The upload is over the limit of 25 MB.', {
    hint: 'Split the document, or remove embedded media to make it smaller.',
  });
}

const FORM_HINT =
  'Send multipart/form-data with one file part named `file` (and a `title` field if you like).';

/** The problem a multipart body that cannot be read becomes. */
function multipartError(error: unknown): RequestError {
  const code = (error as { code?: unknown } | undefined)?.code;
  if (code === 'FST_REQ_FILE_TOO_LARGE') return uploadTooLarge();
  if (code === 'FST_FILES_LIMIT') {
    return new RequestError(400, 'too_many_files', 'An upload carries exactly one file.', {
      hint: FORM_HINT,
    });
  }
  const reason = error instanceof Error ? error.message : String(error);
  return new RequestError(
    400,
    'invalid_multipart',
    `The multipart body cannot be read: ${reason}.`,
    {
      hint: FORM_HINT,
    },
  );
}

/**
 * Reads a `multipart/form-data` upload before the body is validated: the `file` part's bytes
 * (at most {@link MAX_UPLOAD_BYTES}) go to `request.upload`, and the body to validate becomes the
 * form's fields with `file` as the file's name, which is the shape the OpenAPI document gives
 * the form.
 *
 * @throws {RequestError} `file_too_large` (413) for a file over the limit, `too_many_files` (400)
 *   for more than one file, `invalid_multipart` (400) for a body that is not a whole form, and
 *   `validation_failed` (422) for a `file` sent as a text field.
 */
export async function readMultipartUpload(request: FastifyRequest): Promise<void> {
  if (!request.isMultipart()) return;
  const fields: Record<string, string> = {};
  try {
    for await (const part of request.parts({ limits: { fileSize: MAX_UPLOAD_BYTES, files: 1 } })) {
      if (part.type === 'file') {
        const bytes = new Uint8Array(await part.toBuffer());
        if (part.fieldname === 'file') {
          request.upload = { filename: part.filename || 'document', bytes };
          fields.file = request.upload.filename;
        }
      } else if (part.fieldname === 'file') {
        throw new RequestError(422, 'validation_failed', '`file` is a text field, not a file.', {
          hint: `${FORM_HINT} A file part has a filename in its Content-Disposition.`,
          errors: [{ path: '/file', message: 'must be a file part' }],
        });
      } else if (typeof part.value === 'string') {
        fields[part.fieldname] = part.value;
      }
    }
  } catch (error) {
    throw error instanceof RequestError ? error : multipartError(error);
  }
  request.body = fields;
}
