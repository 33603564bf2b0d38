export { verifyOutgoingWebhook } from './outgoing-webhook.js';
