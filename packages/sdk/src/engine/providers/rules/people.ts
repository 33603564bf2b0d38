import type { Span } from './text.js';

/** Words that name a role, team or function: how people should be named in a report. */
export const ROLE =
  /\b(?:leads?|managers?|engineers?|owners?|teams?|head|directors?|officers?|analysts?|supervisors?|controllers?|administrators?|coordinators?|specialists?|architects?|chair|committee|department|group|function|desk|representatives?|auditors?|nurses?|pharmacists?|physicians?|doctors?|surgeons?|consultants?|counsel|planners?|buyers?|accountants?|technicians?|operators?|board|office|unit|squad|council|agents?|advis[eo]rs?|sre|dba|ciso|cfo|ceo|cto|coo|cio|vp|operations|security|finance|legal|procurement|facilities|maintenance|engineering|support|on-call|clerks?|drivers?|pickers?|developers?|employees?|contractors?|workers?|staff|colleagues?|inspectors?|investigators?)\b/i;

/** A person, as the subject of a sentence: a pronoun, a role ("the on-call engineer") or a name. */
const PERSON_NOUN =
  'engineer|operator|agent|analyst|driver|technician|nurse|doctor|physician|surgeon|pharmacist|clerk|employee|developer|administrator|admin|contractor|worker|picker|supervisor|manager|colleague|staff member|member of staff|trainee|intern|auditor|accountant|cashier|inspector|controller|officer|guard|pilot|dispatcher|receptionist|teller|associate|reviewer|approver';

/** A personal name: two or three capitalised words (`Mark Delaney`, `Anne-Marie O'Neil`). */
const NAME = "[A-Z][a-z]+(?:[-'’][A-Z]?[a-z]+)?(?: [A-Z][a-z]+(?:[-'’][A-Z]?[a-z]+)?){1,2}";

/** Capitalised words that are not personal names (teams, places, products, calendar). */
const NOT_NAMES = new Set(
  (
    'The A An This That These Those On At In After Before During When While Our We It Its If As ' +
    'Customer Customers Service Services Support Team Teams Group Lead Manager Director Head ' +
    'Office Operations Engineering Security Safety Finance Trust Health Platform Database Cloud ' +
    'Network Product Sales Legal Risk Quality Site Leadership Management Board Committee Council ' +
    'North South East West Central Region Centre Center Street Road Building Floor Hospital Ward ' +
    'Clinic Unit Department Desk Channel Page Status Slack Jira Zoom Google Microsoft Amazon ' +
    'Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May ' +
    'June July August September October November December Incident Review Report Root Cause ' +
    'Action Actions Summary Timeline Impact Evidence Background Scope Mitigation Verification ' +
    'Lessons Learned Residual Communication Compliance Appendix Annex Table Figure Section ' +
    'Warehouse Distribution Plant Line Store Branch Account Accounts Payable Receivable Fraud ' +
    'Internal Audit External Chief Vice President Officer Engineer Analyst Nurse Doctor Agent'
  ).split(' '),
);

/** Whether every word of a candidate name could be part of a personal name. */
export function looksLikeName(candidate: string): boolean {
  const words = candidate.split(' ');
  return words.length >= 2 && words.every((word) => !NOT_NAMES.has(word) && !ROLE_WORD.test(word));
}

/** A word that makes capitalised words a job title ("Superintendent Pharmacist"), not a name. */
const ROLE_WORD = new RegExp(
  `^(?:${PERSON_NOUN}|manager|director|head|lead|chief|superintendent|coordinator|president|executive|chair|secretary|consultant|specialist)s?$`,
  'i',
);

/** A preposition of place before capitalised words: "the antenna at Kestrel Point failed". */
const PLACE_BEFORE = /\b(?:at|in|near|from|of|on)\s$/;

const BLAME_AFTER =
  /^\s*(?:should have|should've|ought to have|failed to|neglected to|forgot to|ignored|did not bother|didn't bother|was careless|was negligent|made (?:a|the) mistake|caused|is to blame|was to blame|was responsible for|is responsible for)\b/;

/**
 * Personal names in contexts that show they are people: after a role ("agent Mark Delaney"),
 * an honorific ("Ms Patel"), before a role ("Mark Delaney, the shift lead") or as the subject
 * of blame ("Mark Delaney should have...").
 */
export function namedPeople(text: string): Span[] {
  const found: Span[] = [];
  const add = (start: number, name: string) => {
    if (!found.some((span) => span.start === start)) {
      found.push({ text: name, start, end: start + name.length });
    }
  };
  const honorific = /\b(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof)\.? ([A-Z][a-z]+(?:[-'’][A-Z]?[a-z]+)?)/g;
  for (const match of text.matchAll(honorific)) {
    // "Near-Miss Investigation", "near miss report": the word, not the title.
    if (!/(?:-|\bnear\s)$/i.test(text.slice(Math.max(0, match.index - 5), match.index))) {
      add(match.index, match[0]);
    }
  }
  const afterRole = new RegExp(`\\b(?:${anyCase(PERSON_NOUN)}|[Ll]ead)\\s+(${NAME})`, 'g');
  for (const match of text.matchAll(afterRole)) {
    const name = match[1] ?? '';
    const trimmed = trimToName(name);
    if (trimmed !== null) add(match.index + match[0].length - name.length, trimmed);
  }
  const beforeRole = new RegExp(
    `(${NAME}),? (?:the|our|a|an) (?:[\\w-]+ ){0,3}(?:${PERSON_NOUN}|lead)\\b`,
    'g',
  );
  for (const match of text.matchAll(beforeRole)) {
    const name = match[1] ?? '';
    if (looksLikeName(name)) add(match.index, name);
  }
  for (const match of text.matchAll(new RegExp(NAME, 'g'))) {
    const rest = text.slice(match.index + match[0].length);
    const place = PLACE_BEFORE.test(text.slice(Math.max(0, match.index - 6), match.index));
    if (!place && looksLikeName(match[0]) && BLAME_AFTER.test(rest)) add(match.index, match[0]);
  }
  return found.sort((a, b) => a.start - b.start);
}

/** A `|`-separated word list whose first letters match either case. */
function anyCase(words: string): string {
  return words
    .split('|')
    .map((word) => `[${word.charAt(0).toUpperCase()}${word.charAt(0)}]${word.slice(1)}`)
    .join('|');
}

/** The candidate cut to the words that could be a name, or null when fewer than two are. */
function trimToName(candidate: string): string | null {
  const words = candidate.split(' ');
  const kept: string[] = [];
  for (const word of words) {
    if (ROLE_WORD.test(word)) return null;
    if (NOT_NAMES.has(word)) break;
    kept.push(word);
  }
  return kept.length >= 2 ? kept.join(' ') : null;
}

/** A person as the subject of a clause: a pronoun, a role ("the on-call engineer") or a name. */
export const PERSON_SUBJECT = new RegExp(
  `(?:\\b(?:[Hh]e|[Ss]he)\\b|\\b(?:[Tt]he|[Aa]n?|[Oo]ur|[Oo]ne|[Ee]ach) (?:[\\w-]+ ){0,3}(?:${anyCase(PERSON_NOUN)})s?\\b|${NAME})`,
);
