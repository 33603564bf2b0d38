import { type DocumentAnalysis, regionsFor } from './analysis.js';
import type { Rule, SectionRuleContext } from './rule.js';
import { sectionHit } from './rule.js';
import { clip, contentStems, paragraphs, type Span, sentences, stem, wordCount } from './text.js';

/** Words that name a gap or a defect: the stuff of a real cause ("no check", "missing"). */
const ABSENCE =
  /\b(?:no|not|never|nobody|none|without|lack\w*|missing|absen\w*|instead|failed to|did not|didn't|only|until|unless|insufficient|inadequate|wrong|incorrect|misconfigured|outdated|out of date|expired|disabled)\b/i;

/** Stems of words that name what went wrong (the symptom or event itself). */
const EVENT_WORDS = new Set(
  (
    'collide collision crash fail failure outage corrupt leak fire burn fall fell injury injure ' +
    'break broke broken crack overheat overbill overcharge duplicate expose exposure breach ' +
    'compromise divert defect porosity contaminate contamination excursion spill explode ' +
    'explosion collapse error mistake delay loss lost misdirect overdose malfunction unavailable ' +
    'timeout reject discrepancy fraud theft stolen strike struck'
  )
    .split(' ')
    .map(stem),
);

/** Words that show a causal explanation rather than a description of the event. */
const MECHANISM =
  /\b(?:because|due to|caused by|as a result|so that|therefore|thus|hence|which (?:meant|allowed|caused|led|made)|led to|allowed|enabled|prevented|without|lack(?:ed|ing)?|missing|absence|absent|no|not|never|nobody|instead|failed|did not|didn't|since|when|whereas|but|only|until|unless|if)\b/i;

const HUMAN_ERROR =
  /\b(?:human|operator|user|staff|driver|employee|clerical|personnel|individual|nurse|pilot|technician)(?:'s)? (?:error|mistake|failure|negligence|carelessness)\b/i;

const HEDGE =
  /\b(?:probably|possibly|perhaps|might have|may have|could have|we (?:think|believe|suspect|assume)|it (?:appears|seems)|appears to|seems to|likely)\b/i;

const CONFIRMED =
  /\b(?:confirmed|reproduced|verified|demonstrated|shows?|showed|shown|established|proved|proven|evidence|logs?|records?|test(?:ed|s)?)\b/i;

const IGNORED_STEMS = new Set(['root', 'cause', 'under', 'direc', 'prima', 'main']);

/** Paragraphs of a root-cause section that name something else: the trigger, the symptom. */
const NOT_THE_CAUSE =
  /^(?:the )?(?:trigger(?:ing event)?|symptoms?|immediate cause|proximate cause|what happened)\b/i;

/** The root-cause statements of a section: the section itself when titled for the root cause. */
function statements({ section, info }: SectionRuleContext): Span[] {
  const regions = regionsFor(info, 'root-cause');
  if (regions.length > 0) {
    return regions.flatMap((region) => {
      const parts = paragraphs(region.text.replace(/^root causes?[.:]\s*/i, ''));
      const stated = parts.find((part) => /\broot cause (?:is|was)\b/i.test(part.text));
      const first = parts.find((part) => !NOT_THE_CAUSE.test(part.text));
      return stated ?? first ?? [];
    });
  }
  return sentences(section.text).filter((sentence) =>
    /\broot cause (?:is|was|of)\b/i.test(sentence.text),
  );
}

/** Word stems of what the document says happened: its title and its opening summary. */
function eventStems(analysis: DocumentAnalysis): Set<string> {
  return analysis.memo('event-stems', () => {
    const summary = analysis.sections.flatMap((info) => regionsFor(info, 'summary'))[0]?.text;
    const opening = analysis.sections
      .flatMap((info) => info.regions.filter((region) => !region.items.includes('root-cause')))
      .flatMap((region) => paragraphs(region.text))[0]?.text;
    return contentStems(`${analysis.document.title ?? ''} ${summary ?? opening ?? ''}`);
  });
}

/** The part of a statement after "root cause was/is (that)". */
function claimOf(statement: Span): string {
  const claim = /\broot cause (?:is|was)(?: that)?\b(.*)$/is.exec(statement.text);
  return (claim?.[1] ?? statement.text).trim();
}

const restatesSymptom: Rule = {
  category: 'root-cause-restates-symptom',
  item: 'root-cause',
  severity: 'minor',
  about: 'A root cause that only restates what happened (the symptom or the event).',
  section(context) {
    for (const statement of statements(context)) {
      if (!restates(claimOf(statement), eventStems(context.analysis))) continue;
      return [
        sectionHit(context.section, clip(statement), {
          title: 'Root cause restates the event',
          description:
            'The stated root cause describes what happened rather than why: it repeats the event itself, so nothing in it can be fixed to prevent a repeat.',
          suggestion:
            'Ask "why" until you reach a condition the organisation controls (a design, process, tooling or training gap), and give the evidence or reasoning that shows it.',
          confidence: 0.8,
        }),
      ];
    }
    return [];
  },
};

/**
 * Whether a claimed cause only restates the event: the part after "because" (or the whole
 * claim) names no gap or defect and either repeats the event's own failure word ("collided",
 * "corrupted") or mostly repeats the words the document uses for the event.
 */
function restates(claim: string, event: ReadonlySet<string>): boolean {
  const split = /\b(?:because|due to|as a result of|caused by)\b/i.exec(claim);
  const cause = split === null ? claim : claim.slice(split.index + split[0].length);
  if (ABSENCE.test(cause) || wordCount(cause) > 30) return false;
  const stems = [...contentStems(cause)].filter((candidate) => !IGNORED_STEMS.has(candidate));
  if (stems.some((candidate) => EVENT_WORDS.has(candidate) && event.has(candidate))) return true;
  if (split !== null || MECHANISM.test(cause)) return false;
  const shared = stems.filter((candidate) => event.has(candidate));
  return shared.length >= 2 && shared.length / stems.length >= 0.6;
}

const humanError: Rule = {
  category: 'root-cause-human-error',
  item: 'root-cause',
  severity: 'minor',
  about: 'A root cause given as "human error", which stops the analysis at the person.',
  section(context) {
    for (const statement of statements(context)) {
      const match = HUMAN_ERROR.exec(statement.text);
      if (match === null || /\bnot\b[^.]{0,20}$/i.test(statement.text.slice(0, match.index)))
        continue;
      return [
        sectionHit(context.section, clip(statement), {
          title: 'Root cause given as human error',
          description:
            '"Human error" names who, not why: it stops the analysis before the conditions that made the error likely (design, workload, training, checks).',
          suggestion:
            'Ask why the error was possible and why nothing caught it; state that system condition as the root cause.',
          confidence: 0.8,
        }),
      ];
    }
    return [];
  },
};

const withoutReasoning: Rule = {
  category: 'root-cause-without-reasoning',
  item: 'root-cause',
  severity: 'minor',
  about: 'A root cause asserted in a line with no reasoning, or only as a guess.',
  section(context) {
    const { section, info } = context;
    const region = regionsFor(info, 'root-cause').find(
      (candidate) => !NOT_THE_CAUSE.test(candidate.text),
    );
    if (region === undefined) return [];
    const text = region.text.replace(/^root causes?[.:]\s*/i, '');
    const bare =
      wordCount(text) < 12 && !MECHANISM.test(claimOf({ text, start: 0, end: text.length }));
    const guessed = HEDGE.test(text) && !CONFIRMED.test(text);
    if (!bare && !guessed) return [];
    if (!guessed && restatesSymptom.section?.(context).length) return [];
    const quote = sentences(text)[0] ?? null;
    return [
      sectionHit(section, quote && clip(quote), {
        title: guessed ? 'Root cause is a guess' : 'Root cause without reasoning',
        description: guessed
          ? 'The root cause is hedged ("probably", "we believe") and nothing confirms it, so actions may target the wrong cause.'
          : 'The root cause is asserted without the reasoning or evidence that reached it, so readers cannot tell a cause from a guess.',
        suggestion:
          'Explain the causal chain (why it happened, why it was not caught) and cite what confirmed it (a reproduction, logs, a test).',
        confidence: guessed ? 0.65 : 0.7,
      }),
    ];
  },
};

/** Checks of the root cause (Hawkeye #8). */
export const rootCauseRules: Rule[] = [restatesSymptom, humanError, withoutReasoning];
