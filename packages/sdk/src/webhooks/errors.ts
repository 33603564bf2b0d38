import { PrismError, type PrismErrorOptions } from '../errors.js';

/** The stable codes a {@link WebhookVerificationError} carries. */
export type WebhookVerificationErrorCode =
  | 'webhook_missing_headers'
  | 'webhook_invalid_signature'
  | 'webhook_timestamp_too_old'
  | 'webhook_timestamp_too_new'
  | 'webhook_invalid_secret';

/**
 * The base class of the errors a webhook delivery can raise; answer a delivery that throws one
 * with a 4xx status.
 */
export class WebhookError extends PrismError {}

/** A webhook delivery whose headers, signature or timestamp do not check out, or a bad secret. */
export class WebhookVerificationError extends WebhookError {
  declare readonly code: WebhookVerificationErrorCode;

  constructor(
    code: WebhookVerificationErrorCode,
    message: string,
    options: PrismErrorOptions = {},
  ) {
    super(code, message, options);
  }
}

/** A correctly signed webhook delivery whose body is not a Prism event this SDK knows. */
export class WebhookPayloadError extends WebhookError {
  declare readonly code: 'webhook_invalid_payload';

  constructor(message: string, options: PrismErrorOptions = {}) {
    super('webhook_invalid_payload', message, options);
  }
}
