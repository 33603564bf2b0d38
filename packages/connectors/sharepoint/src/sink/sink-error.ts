import { PrismError, type PrismErrorOptions } from '@prism/sdk';

/** Why writing a review back into SharePoint could not go ahead, apart from Graph failures. */
export type SinkErrorCode =
  | 'columns_missing'
  | 'not_a_library'
  | 'not_a_folder'
  | 'invalid_argument';

/** Writing a review back into SharePoint could not go ahead; the hint says what to change. */
export class SinkError extends PrismError {
  declare readonly code: SinkErrorCode;

  constructor(code: SinkErrorCode, message: string, options: PrismErrorOptions & { hint: string }) {
    super(code, message, options);
  }
}
