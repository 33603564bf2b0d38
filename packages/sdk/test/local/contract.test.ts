import { describePrismContract } from '../../src/contract/index.js';
import { Prism } from '../../src/index.js';

describePrismContract('Prism.local()', () => Prism.local());
