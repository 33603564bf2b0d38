import { PrismError, type PrismErrorOptions } from '../../../errors.js';

/** The stable codes a {@link ModelError} carries. */
export type ModelErrorCode =
  /** Too many requests or tokens for the account's quota (429, ThrottlingException). */
  | 'model_throttled'
  /** The service failed or could not be reached (5xx, ServiceUnavailableException, network). */
  | 'model_unavailable'
  /** The model took too long (ModelTimeoutException, a request timeout). */
  | 'model_timeout'
  /** The input is longer than the model's context window: split it and ask again. */
  | 'model_input_too_long'
  /** The credentials are missing, wrong, or not granted this model (401, 403, AccessDeniedException). */
  | 'model_access_denied'
  /** No such model in this account or region (404, ResourceNotFoundException). */
  | 'model_not_found'
  /** The service refused the request as malformed (400, ValidationException). */
  | 'model_request_invalid'
  /** The model answered without calling the tool, or its answer was cut off. */
  | 'model_answer_invalid';

/** The codes worth retrying the same request for, after a wait. */
const RETRYABLE: ReadonlySet<ModelErrorCode> = new Set([
  'model_throttled',
  'model_unavailable',
  'model_timeout',
]);

/** Options of a {@link ModelError}. */
export interface ModelErrorOptions extends PrismErrorOptions {
  /** How long the service asked to wait before retrying, in milliseconds (`Retry-After`). */
  retryAfterMs?: number;
}

/** A model service's failure, mapped from its wire format to a stable code with a hint. */
export class ModelError extends PrismError {
  declare readonly code: ModelErrorCode;
  /** Whether the same request may succeed if sent again after a wait. */
  readonly retryable: boolean;
  /** How long the service asked to wait, in milliseconds, when it said. */
  readonly retryAfterMs: number | undefined;

  constructor(code: ModelErrorCode, message: string, options: ModelErrorOptions = {}) {
    super(code, message, options);
    this.retryable = RETRYABLE.has(code);
    this.retryAfterMs = options.retryAfterMs;
  }
}
