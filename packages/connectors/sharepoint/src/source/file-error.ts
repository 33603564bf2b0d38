import { PrismError, type PrismErrorOptions } from '@prism/sdk';

/** The stable codes of a {@link SharePointFileError}. */
export type SharePointFileErrorCode = 'not_a_file' | 'file_too_large' | 'unexpected_response';

/**
 * A SharePoint or OneDrive item Prism cannot take as a document: a folder or a OneNote
 * notebook (`not_a_file`), a file over the size limit (`file_too_large`), or an item Graph
 * described without the fields every file has (`unexpected_response`).
 */
export class SharePointFileError extends PrismError {
  declare readonly code: SharePointFileErrorCode;

  constructor(code: SharePointFileErrorCode, message: string, options: PrismErrorOptions = {}) {
    super(code, message, options);
  }
}
