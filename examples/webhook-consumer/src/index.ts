export { createWebhookConsumer, type WebhookConsumerOptions } from './consumer.js';
export { describeEvent } from './describe-event.js';
export { BodyTooLargeError, MAX_BODY_BYTES, readRawBody } from './read-body.js';
export { DEFAULT_SEEN_IDS_CAPACITY, SeenIds } from './seen-ids.js';
