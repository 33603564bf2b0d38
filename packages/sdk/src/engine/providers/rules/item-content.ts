import type { Severity } from '../../../schema/index.js';
import { regionsFor } from './analysis.js';
import { IMPACT_WORDS, LIKELIHOOD, STATUS } from './cues.js';
import { cueWeight, type ItemKey } from './items.js';
import { hasQuantity } from './quantity.js';
import type { Rule, SectionRuleContext } from './rule.js';
import { sectionHit } from './rule.js';
import { clip, sentences } from './text.js';
import { hasTimeReference } from './time.js';

/** A check that a section titled for an item has one thing the item needs. */
interface Requirement {
  category: string;
  item: ItemKey;
  severity: Severity;
  about: string;
  /** Whether the section meets the requirement. */
  met(text: string): boolean;
  title: string;
  description: string;
  suggestion: string;
  confidence: number;
}

function requirementRule(requirement: Requirement): Rule {
  return {
    category: requirement.category,
    item: requirement.item,
    severity: requirement.severity,
    about: requirement.about,
    section({ section, info }: SectionRuleContext) {
      const region = regionsFor(info, requirement.item).find((r) => !requirement.met(r.text));
      if (region === undefined) return [];
      return [
        sectionHit(section, firstSentence(region.text), {
          title: requirement.title,
          description: requirement.description,
          suggestion: requirement.suggestion,
          confidence: requirement.confidence,
        }),
      ];
    },
  };
}

function firstSentence(text: string) {
  const first = sentences(text)[0];
  return first === undefined ? null : clip(first);
}

const RULED_OUT =
  /\b(?:ruled out|rule out|excluded|eliminated|discounted|not (?:the )?cause|no evidence|shows?|showed|shown|confirm(?:s|ed)?|found (?:no|that|it|them)|because|tested|checked|verified|was not|were not|did not|normal(?:ly)?|consistent with|inconsistent|unlikely|disproved|rejected)\b/i;

const requirements: Requirement[] = [
  {
    category: 'summary-missing-status',
    item: 'summary',
    severity: 'minor',
    about: 'A summary that does not say where things stand now.',
    met: (text) => STATUS.test(text),
    title: 'Summary does not give the current status',
    description:
      'A summary should say what happened, the impact and the current status; this one leaves the reader asking whether the problem is over.',
    suggestion:
      'Add one sentence on the status (e.g. "Service is fully restored; the fix is deployed.").',
    confidence: 0.7,
  },
  {
    category: 'summary-missing-impact',
    item: 'summary',
    severity: 'info',
    about: 'A summary that does not state the impact.',
    met: (text) => hasQuantity(text) || IMPACT_WORDS.test(text),
    title: 'Summary does not state the impact',
    description:
      'A summary should give the impact, in numbers, so a reader can judge severity at a glance.',
    suggestion:
      'Add the headline impact in numbers (who or what was affected, how many, how long, what cost).',
    confidence: 0.7,
  },
  {
    category: 'detection-timing-missing',
    item: 'detection',
    severity: 'minor',
    about:
      'A detection section that does not say when the problem was detected or how long that took.',
    met: hasTimeReference,
    title: 'Detection does not say when',
    description:
      'The detection section does not say when the problem was detected or how long after it started, which is what shows whether monitoring works.',
    suggestion:
      'Give the detection time and the delay since the start (e.g. "paged at 14:03, 1 minute after the first error").',
    confidence: 0.75,
  },
  {
    category: 'mitigation-timing-missing',
    item: 'mitigation',
    severity: 'minor',
    about: 'A mitigation section that does not say when each step took effect.',
    met: hasTimeReference,
    title: 'Mitigation does not say when it took effect',
    description:
      'Without times, the reader cannot tell how long the impact lasted after each step.',
    suggestion: 'Give each mitigation step the time it was applied and the time it took effect.',
    confidence: 0.75,
  },
  {
    category: 'verification-not-scheduled',
    item: 'verification',
    severity: 'minor',
    about: 'A verification section with no date for the check or follow-up review.',
    met: hasTimeReference,
    title: 'Verification has no date',
    description:
      'A check with no date tends not to happen; the framework asks when the follow-up review takes place.',
    suggestion:
      'Give the date (or the meeting) of the follow-up review and who presents the result.',
    confidence: 0.75,
  },
  {
    category: 'risk-likelihood-missing',
    item: 'risk',
    severity: 'minor',
    about: 'A residual-risk section that does not assess the likelihood of recurrence.',
    met: (text) => LIKELIHOOD.test(text),
    title: 'Residual risk without a likelihood',
    description:
      'The remaining risk is described but its likelihood of recurrence is not assessed.',
    suggestion:
      'Rate the likelihood of recurrence (e.g. low/medium/high) and say what it depends on.',
    confidence: 0.7,
  },
  {
    category: 'hypotheses-not-ruled-out',
    item: 'hypotheses',
    severity: 'minor',
    about: 'Alternative explanations listed without saying how they were ruled out.',
    met: (text) => RULED_OUT.test(text),
    title: 'Alternatives listed but not ruled out',
    description:
      'Other explanations are named, but not how each was ruled out, so the conclusion is not yet defended.',
    suggestion: 'For each alternative, give the evidence or test that excluded it.',
    confidence: 0.7,
  },
  {
    category: 'evidence-not-cited',
    item: 'evidence',
    severity: 'info',
    about: 'An evidence section that names no concrete source.',
    met: (text) => cueWeight('evidence', text) >= 1,
    title: 'Evidence names no sources',
    description:
      'The evidence section does not name the logs, records, metrics, documents or interviews relied on.',
    suggestion:
      'List each source and where it is kept (e.g. "gateway access logs, 3 March; incident ticket 88213").',
    confidence: 0.65,
  },
  {
    category: 'lessons-incomplete',
    item: 'lessons',
    severity: 'info',
    about: 'Lessons learned that miss what went well, what went badly or where the team got lucky.',
    met: (text) =>
      /\b(?:well|good|worked|helped|effective|quick(?:ly)?|reliable)\b/i.test(text) &&
      /\b(?:badly|poorly|wrong|slow|gap|failed|did not|never|not)\b/i.test(text) &&
      /\b(?:luck\w*|fortunate\w*)\b/i.test(text),
    title: 'Lessons learned could be fuller',
    description:
      'The lessons do not cover all three of: what went well, what went badly, and where the team got lucky.',
    suggestion:
      'Add the missing part (often "where we got lucky", which shows risks that did not materialise this time).',
    confidence: 0.6,
  },
  {
    category: 'scope-without-exclusions',
    item: 'scope',
    severity: 'info',
    about: 'A scope that does not say what is excluded.',
    met: (text) =>
      /\b(?:not|exclud\w*|out of scope|separately|only|limited to|beyond)\b/i.test(text),
    title: 'Scope does not say what is excluded',
    description:
      'Saying what the investigation does not cover prevents readers from assuming it did.',
    suggestion: 'Add what is out of scope (and where it is covered, if elsewhere).',
    confidence: 0.6,
  },
  {
    category: 'communication-timing-missing',
    item: 'stakeholders',
    severity: 'info',
    about: 'Communication that does not say when each party was informed.',
    met: hasTimeReference,
    title: 'Communication does not say when',
    description: 'The framework asks who was informed, when and how; the timing is missing.',
    suggestion: 'Add when each party was informed (and any deadline that applied).',
    confidence: 0.6,
  },
];

const summaryNotFirst: Rule = {
  category: 'summary-not-first',
  item: 'summary',
  severity: 'minor',
  about: 'A summary that is not at the start of the document.',
  section({ section, info, analysis }) {
    const summary = regionsFor(info, 'summary')[0];
    if (summary === undefined) return [];
    const titled = analysis.sections.flatMap((other) =>
      other.regions.filter((region) => region.items.length > 0 && region.substantive),
    );
    if (titled.indexOf(summary) < 2) return [];
    return [
      sectionHit(section, firstSentence(summary.text), {
        title: 'Summary is not at the start',
        description:
          'Readers decide from the opening whether to read on; the summary comes after other sections.',
        suggestion: 'Move the summary to the top of the document.',
        confidence: 0.7,
      }),
    ];
  },
};

/** Checks that sections titled for an item contain what the item needs (Hawkeye #1-16). */
export const itemContentRules: Rule[] = [...requirements.map(requirementRule), summaryNotFirst];
