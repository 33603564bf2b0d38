import { describeStoreContract } from '../../src/contract/store.js';
import { MemoryStore } from '../../src/index.js';

describeStoreContract('MemoryStore', () => new MemoryStore());
