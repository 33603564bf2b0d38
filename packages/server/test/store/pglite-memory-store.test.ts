import { describeStoreContract } from '@prism/sdk/contract';
import { vi } from 'vitest';
import { openStore } from '../../src/store/open-store.js';

// Creating an embedded database runs initdb, which takes seconds on a busy machine.
vi.setConfig({ hookTimeout: 60_000 });

describeStoreContract('SqlStore on PGlite in memory', () => openStore());
