export {
  WebhookError,
  WebhookPayloadError,
  WebhookVerificationError,
  type WebhookVerificationErrorCode,
} from './errors.js';
export type { WebhookHeaders } from './headers.js';
export { generateWebhookSecret } from './secret.js';
export { type SignWebhookInput, signWebhook, type WebhookSignatureHeaders } from './sign.js';
export { unwrapWebhook } from './unwrap.js';
export {
  DEFAULT_WEBHOOK_TOLERANCE_SECONDS,
  type VerifyWebhookOptions,
  verifyWebhook,
} from './verify.js';
