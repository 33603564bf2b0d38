import { acronymRules } from './acronyms.js';
import { actionRules } from './actions.js';
import { clarityRules } from './clarity.js';
import { completenessRules } from './completeness.js';
import { impactRules } from './impact.js';
import { itemContentRules } from './item-content.js';
import { objectivityRules } from './objectivity.js';
import { rootCauseRules } from './root-cause.js';
import type { Rule } from './rule.js';
import { sensitiveDataRules } from './sensitive-data.js';
import { timelineRules } from './timeline.js';

/** Every rule of the `rules` provider, by family. */
export const RULES: readonly Rule[] = [
  ...completenessRules,
  ...itemContentRules,
  ...timelineRules,
  ...impactRules,
  ...rootCauseRules,
  ...actionRules,
  ...objectivityRules,
  ...sensitiveDataRules,
  ...clarityRules,
  ...acronymRules,
];
