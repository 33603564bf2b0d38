export { bytesOf, INCIDENT_REPORT, SECOND_REPORT } from './documents.js';
export { describePrismContract, type PrismFactory } from './prism-api.js';
export { describeStoreContract, type StoreFactory } from './store.js';
