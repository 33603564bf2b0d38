import { regionsFor } from './analysis.js';
import { hasQuantity } from './quantity.js';
import type { Rule } from './rule.js';
import { sectionHit } from './rule.js';
import { clip, sentences } from './text.js';

const INTENSIFIER =
  /\b(?:significant(?:ly)?|major|severe(?:ly)?|substantial(?:ly)?|considerable|considerably|huge|massive|large|serious(?:ly)?|heavy|minimal|limited|minor|widespread|extensive)\b/i;

const impactNotQuantified: Rule = {
  category: 'impact-not-quantified',
  item: 'impact',
  severity: 'minor',
  about: 'An impact section with no numbers (who or what, how many, how long, what cost).',
  section({ section, info }) {
    const region = regionsFor(info, 'impact').find((candidate) => !hasQuantity(candidate.text));
    if (region === undefined) return [];
    const all = sentences(region.text);
    const quote = all.find((sentence) => INTENSIFIER.test(sentence.text)) ?? all[0] ?? null;
    return [
      sectionHit(section, quote && clip(quote), {
        title: 'Impact not quantified',
        description:
          'The impact is described without a single number, so readers cannot judge severity, compare it with other events or check the figures.',
        suggestion:
          'State the impact in numbers: how many people, customers or units were affected, for how long, and at what cost (e.g. "1 picker injured, 6 hours of picking lost, about $4,000").',
        confidence: 0.85,
      }),
    ];
  },
};

/** Checks of the quantified impact (Hawkeye #6). */
export const impactRules: Rule[] = [impactNotQuantified];
