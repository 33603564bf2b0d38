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

/** A review stopped by its caller's `AbortSignal` before it finished. */
export class ReviewCanceledError extends PrismError {
  declare readonly code: 'review_canceled';

  constructor(options: PrismErrorOptions = {}) {
    super('review_canceled', 'The review was canceled before it finished.', {
      hint: 'Start it again; pass the sections already reviewed as `completedSections` to skip them.',
      ...options,
    });
  }
}

/** A framework asked for by an id (or id@version) that no known framework has. */
export class UnknownFrameworkError extends PrismError {
  declare readonly code: 'unknown_framework';
  /** The ids (as `id@version`) that are known. */
  readonly knownIds: string[];

  constructor(requested: string, knownIds: string[], options: PrismErrorOptions = {}) {
    super('unknown_framework', `Unknown framework "${requested}"; known: ${knownIds.join(', ')}.`, {
      hint: 'Use one of the known ids, or pass the path of a framework file (JSON or YAML).',
      ...options,
    });
    this.knownIds = knownIds;
  }
}
