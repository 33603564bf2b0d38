export { encodeSharingUrl } from './sharing-url.js';
