import type { FastifyRequest } from 'fastify';

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

/**
 * Reads a `multipart/form-data` upload before the body is validated: the `file` part's bytes
 * (at most {@link MAX_UPLOAD_BYTES}: a larger one fails with `FST_REQ_FILE_TOO_LARGE`) go to
 * `request.upload`, and the body to validate becomes the form's fields with `file` as the file's
 * name, which is the shape the OpenAPI document gives the form.
 */
export async function readMultipartUpload(request: FastifyRequest): Promise<void> {
  if (!request.isMultipart()) return;
  const fields: Record<string, string> = {};
  for await (const part of request.parts({ limits: { fileSize: MAX_UPLOAD_BYTES, files: 1 } })) {
    if (part.type === 'file') {
      const bytes = new Uint8Array(await part.toBuffer());
      if (part.fieldname === 'file') {
        request.upload = { filename: part.filename || 'document', bytes };
        fields.file = request.upload.filename;
      }
    } else if (typeof part.value === 'string') {
      fields[part.fieldname] = part.value;
    }
  }
  request.body = fields;
}
