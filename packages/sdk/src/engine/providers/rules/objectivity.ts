import type { Section } from '../../../schema/index.js';
import { looksLikeName, namedPeople, PERSON_SUBJECT } from './people.js';
import type { Rule, RuleHit } from './rule.js';
import { sectionHit } from './rule.js';
import { clip, entries, type Span, sentences } from './text.js';

/** Judgements of a person's character or competence. */
const BLAME_WORDS =
  /\b(?:careless(?:ly|ness)?|negligen(?:t|tly|ce)|incompeten(?:t|ce)|lazy|laziness|sloppy|reckless(?:ly)?|irresponsibl[ey]|inattentive|stupid(?:ity)?|foolish(?:ly)?|clueless|unprofessional|inexcusabl[ey])\b/i;

/** Fault assigned to someone (negated forms, "no one is to blame", are fine). */
const FAULT =
  /\b(?:(?:his|her|their) (?:fault|mistake|error)|to blame|at fault|blamed|is responsible for (?:the|this) (?:incident|outage|error|failure|loss|collision|breach))\b/i;

/** What a person "should have" done or "failed" to do. */
const SHOULD_HAVE =
  /^\s*(?:should have|should've|ought to have|failed to|neglected to|forgot to|did not bother|didn't bother|chose to ignore|ignored the)\b/i;

const NEGATION =
  /\b(?:no one|nobody|not|no individual|no person|never|without|rather than)\b[^.;]{0,30}$/i;

/** Certainty words that turn an inference into a stated fact. */
const CERTAINTY =
  /\b(?:must have (?:been|had|known|seen|ignored|forgotten|caused|noticed|missed|\w+ed)|obviously|undoubtedly|unquestionably|without (?:a|any) doubt|no doubt|surely|(?:it is|it was) (?:obvious|clear|certain|evident) that|everyone knows|as everyone knows|it goes without saying|there is no question that|definitely (?:caused|was|were|the)|clearly (?:caused|was|were|the|a|an|at fault|to blame|did|didn't)|(?:was|were|is|are|had) (?:clearly|obviously|evidently|certainly|definitely) \w+)\b|^Clearly,/i;

const EMOTIVE =
  /\b(?:disastrous|disaster(?![- ](?:recovery|planning|plan|management))|terrible|awful|appalling|shocking|embarrassing|ridiculous|pathetic|horrendous|fiasco|shambles|idiotic|absurd|a joke)\b/i;

function firstSentenceMatching(
  section: Section,
  test: (sentence: Span) => boolean,
): Span | undefined {
  return sentences(section.text).find(test);
}

function blamedPerson(sentence: Span): boolean {
  const subject = new RegExp(PERSON_SUBJECT.source, 'g');
  for (const match of sentence.text.matchAll(subject)) {
    const rest = sentence.text.slice(match.index + match[0].length);
    const capitalised = /^[A-Z][a-z]+ [A-Z]/.test(match[0]);
    if (SHOULD_HAVE.test(rest) && (!capitalised || looksLikeName(match[0]))) return true;
  }
  return false;
}

const blameLanguage: Rule = {
  category: 'blame-language',
  item: 'objectivity',
  severity: 'minor',
  about: 'Language that blames a person ("should have noticed", "careless", "at fault").',
  section({ section }) {
    const sentence = firstSentenceMatching(section, (candidate) => {
      if (BLAME_WORDS.test(candidate.text) || blamedPerson(candidate)) return true;
      const fault = FAULT.exec(candidate.text);
      return fault !== null && !NEGATION.test(candidate.text.slice(0, fault.index));
    });
    if (sentence === undefined) return [];
    return [
      sectionHit(section, clip(sentence), {
        title: 'Blame aimed at a person',
        description:
          'Judging what a person should have done turns the review into a verdict: people stop reporting, and the system conditions that made the error likely stay unexamined.',
        suggestion:
          'Describe what happened and why it made sense at the time, then ask which check, tool or process would have caught it; name people by role.',
        confidence: 0.85,
      }),
    ];
  },
};

const namedIndividual: Rule = {
  category: 'named-individual',
  item: 'objectivity',
  severity: 'minor',
  about: 'A person named instead of their role.',
  section({ section }) {
    const person = namedPeople(section.text)[0] ?? ownerNamed(section);
    if (person === undefined) return [];
    return [
      sectionHit(section, person, {
        title: 'Person named instead of their role',
        description:
          'An investigation document should name people by role: names add personal data, invite blame, and date the document when people change jobs.',
        suggestion: `Replace "${person.text}" with the person's role (e.g. "the customer service agent").`,
        confidence: 0.8,
      }),
    ];
  },
};

/** A table cell in an "Owner" column that holds a personal name rather than a role. */
function ownerNamed(section: Section): Span | undefined {
  let column = -1;
  for (const entry of entries(section.text)) {
    if (entry.kind !== 'row') continue;
    if (entry.header) {
      column = entry.cells.findIndex((cell) =>
        /\b(?:owner|responsible|assignee)\b/i.test(cell.text),
      );
      continue;
    }
    const cell = column >= 0 ? entry.cells[column] : undefined;
    if (
      cell !== undefined &&
      /^[A-Z][a-z]+(?: [A-Z]\.)?(?: [A-Z][a-z'’-]+){1,2}$/.test(cell.text)
    ) {
      const names = namedPeople(`Engineer ${cell.text}`);
      if (names.length > 0) return cell;
    }
  }
  return undefined;
}

const speculationAsFact: Rule = {
  category: 'speculation-as-fact',
  item: 'objectivity',
  severity: 'minor',
  about: 'An inference stated with certainty it has not earned ("must have", "obviously").',
  section({ section }) {
    const sentence = firstSentenceMatching(section, (candidate) => CERTAINTY.test(candidate.text));
    if (sentence === undefined) return [];
    const hit: RuleHit = sectionHit(section, clip(sentence), {
      title: 'Speculation stated as fact',
      description:
        'Certainty words ("must have", "obviously", "clearly") present an inference as established fact, so readers cannot tell what was shown from what was assumed.',
      suggestion:
        'Either cite the evidence that establishes it, or mark it as a hypothesis ("we think ... because ...; not yet confirmed").',
      confidence: 0.7,
    });
    return [hit];
  },
};

const emotiveLanguage: Rule = {
  category: 'emotive-language',
  item: 'objectivity',
  severity: 'minor',
  about: 'Emotive or judgemental wording ("disastrous", "embarrassing").',
  section({ section }) {
    const sentence = firstSentenceMatching(section, (candidate) => EMOTIVE.test(candidate.text));
    if (sentence === undefined) return [];
    return [
      sectionHit(section, clip(sentence), {
        title: 'Emotive wording',
        description:
          'Emotive words express opinion rather than fact and make the document read as a judgement.',
        suggestion: 'Replace the adjective with the facts behind it (duration, count, cost).',
        confidence: 0.6,
      }),
    ];
  },
};

/** Checks of objective, blameless tone (Hawkeye #19). */
export const objectivityRules: Rule[] = [
  blameLanguage,
  namedIndividual,
  speculationAsFact,
  emotiveLanguage,
];
