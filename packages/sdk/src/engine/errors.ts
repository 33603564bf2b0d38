import { PrismError, type PrismErrorOptions } from '../errors.js';

/** The stable codes an {@link ExtractionError} carries. */
export type ExtractionErrorCode =
  | 'file_too_large'
  | 'archive_too_large'
  | 'archive_ratio_exceeded'
  | 'archive_too_many_entries'
  | 'xml_forbidden_construct'
  | 'too_many_pages'
  | 'too_many_sections'
  | 'time_budget_exceeded'
  | 'unsupported_format'
  | 'legacy_format'
  | 'document_encrypted'
  | 'document_corrupt';

/** A document that could not be read, or was refused by a limit. */
export class ExtractionError extends PrismError {
  declare readonly code: ExtractionErrorCode;

  constructor(code: ExtractionErrorCode, message: string, options: PrismErrorOptions = {}) {
    super(code, message, options);
  }
}

/** A framework file that is not a valid framework; the message names each bad field. */
export class FrameworkError extends PrismError {
  constructor(message: string, options: PrismErrorOptions = {}) {
    super('invalid_framework', message, options);
  }
}
