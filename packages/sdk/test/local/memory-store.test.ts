import { MemoryStore } from '../../src/index.js';
import { describeStoreContract } from '../../src/contract/store.js';

describeStoreContract('MemoryStore', () => new MemoryStore());
