import { Prism } from '../../src/index.js';
import { describePrismContract } from '../../src/contract/index.js';

describePrismContract('Prism.local()', () => Prism.local());
