export { toCaseSafeId } from './record-id.js';
