import type { DocumentAnalysis } from './analysis.js';
import type { Rule } from './rule.js';
import { sectionHit } from './rule.js';
import { lines, type Span } from './text.js';

/** Upper-case words that are emphasis or placeholders, not acronyms. */
const NOT_ACRONYMS = new Set(
  (
    'NOT AND OR ALL NO YES NEVER MUST ONLY NEW STOP WARNING NOTE IMPORTANT DO DONT ANY NONE ' +
    'TBD TBC TBA TODO FIXME XXX NA'
  ).split(' '),
);

const SMALL_WORDS = new Set(['of', 'and', 'for', 'the', 'to', 'in', 'on', '&']);

/** Where an acronym is first used and whether (and where) the document defines it. */
interface AcronymUse {
  /** Section and offset of its first use in body text. */
  section: number;
  span: Span;
  /** Whether it is defined: spelled out with it in brackets, or its words appear in full. */
  defined: boolean;
  /** Whether a bracketed definition comes after the first use. */
  definedLate: boolean;
}

/** The acronyms of a document, by first use. */
function acronymTable(analysis: DocumentAnalysis): Map<string, AcronymUse> {
  const table = new Map<string, AcronymUse>();
  const words = expansionWords(analysis.text);
  analysis.sections.forEach(({ section }) => {
    for (const line of lines(section.text)) {
      if (shouting(line.text)) continue;
      const shouted = [...shoutedPhrases(line.text), ...quotations(line.text)];
      for (const match of line.text.matchAll(/\b[A-Z][A-Z&]{1,6}(s)?\b/g)) {
        if (shouted.some(([from, to]) => match.index >= from && match.index < to)) continue;
        const start = line.start + match.index;
        const end = start + match[0].length;
        const acronym = match[1] === undefined ? match[0] : match[0].slice(0, -1);
        if (table.has(acronym) || skip(acronym, section.text, start, end)) continue;
        const definition = definitionOffset(acronym, analysis.text);
        const firstUse = new RegExp(`\\b${match[0]}\\b`).exec(analysis.text)?.index ?? 0;
        table.set(acronym, {
          section: section.index,
          span: { text: match[0], start, end },
          defined: definition !== null || spelledOut(acronym, words),
          definedLate: definition !== null && definition > firstUse + match[0].length + 2,
        });
      }
    }
  });
  return table;
}

/**
 * Words that are not acronyms to check: emphasis, Roman numerals, parts of codes (`SEV-2`,
 * `GEN-B2`) and chemical formulas (`CO₂`, `H2S`).
 */
function skip(acronym: string, text: string, start: number, end: number): boolean {
  if (NOT_ACRONYMS.has(acronym) || /^[IVXLC]+$/.test(acronym)) return true;
  if (/^[\d₀-₉]/.test(text.slice(end, end + 1))) return true;
  if (/[A-Za-z0-9]-$/.test(text.slice(Math.max(0, start - 2), start))) return true;
  return /^-[A-Z0-9]/.test(text.slice(end, end + 2));
}

/**
 * Runs of three or more capitalised words inside a line (a quoted label such as "TAKE ONE
 * TABLET DAILY"), whose words are not acronyms; as [start, end) offsets in the line.
 */
function shoutedPhrases(line: string): [number, number][] {
  return [...line.matchAll(/\b[A-Z]{2,}(?:[ ,'"-]+[A-Z]{2,}){2,}\b/g)].map((match) => [
    match.index,
    match.index + match[0].length,
  ]);
}

/** Quoted text ("Take FOUR tablets ONCE a WEEK"): verbatim wording, not the author's acronyms. */
function quotations(line: string): [number, number][] {
  return [...line.matchAll(/["“][^"”]{1,200}["”]/g)].map((match) => [
    match.index,
    match.index + match[0].length,
  ]);
}

/** A line written in capitals (a shouted heading), whose words are not acronyms. */
function shouting(line: string): boolean {
  const words = line.match(/\b[A-Za-z]{2,}\b/g) ?? [];
  const upper = words.filter((word) => word === word.toUpperCase());
  return words.length >= 3 && upper.length / words.length > 0.6;
}

/** The offset of a bracketed definition, `Full Name (ABC)` or `ABC (Full Name)`, or null. */
function definitionOffset(acronym: string, text: string): number | null {
  const escaped = acronym.replace(/&/g, '\\&');
  const patterns = [
    new RegExp(`\\(${escaped}s?\\)`),
    new RegExp(`\\b${escaped}s? \\((?:[A-Za-z][\\w-]*[ ,&]+){1,8}[A-Za-z][\\w-]*\\)`),
    new RegExp(`\\b${escaped}s? (?:stands for|means|is short for|refers to)\\b`),
  ];
  const offsets = patterns
    .map((pattern) => pattern.exec(text)?.index)
    .filter((offset): offset is number => offset !== undefined);
  return offsets.length === 0 ? null : Math.min(...offsets);
}

/** The document's words, lower-case, hyphenated words split, for matching expansions. */
function expansionWords(text: string): string[] {
  return text.toLowerCase().match(/[a-z][a-z']*|&/g) ?? [];
}

/** Whether consecutive words of the document have the acronym's letters as initials. */
function spelledOut(acronym: string, words: readonly string[]): boolean {
  const letters = acronym.toLowerCase().replace(/&/g, '');
  for (let start = 0; start < words.length; start += 1) {
    let position = start;
    let matched = 0;
    while (matched < letters.length && position < words.length) {
      const word = words[position] as string;
      if (word.startsWith(letters.charAt(matched)) && word.length >= (letters.length < 3 ? 3 : 2)) {
        matched += 1;
        position += 1;
      } else if (matched > 0 && SMALL_WORDS.has(word)) {
        position += 1;
      } else {
        break;
      }
    }
    if (matched === letters.length) return true;
  }
  return false;
}

function allowed(acronym: string, list: ReadonlySet<string>): boolean {
  return list.has(acronym) || list.has(`${acronym}S`);
}

const undefinedAcronym: Rule = {
  category: 'undefined-acronym',
  item: 'clarity',
  severity: 'minor',
  about: 'Acronyms never spelled out (common ones such as PDF, URL, UTC, CEO excepted).',
  section({ section, analysis, options }) {
    const table = analysis.memo('acronyms', () => acronymTable(analysis));
    const hits = [];
    for (const [acronym, use] of table) {
      if (use.section !== section.index || allowed(acronym, options.allowedAcronyms)) continue;
      if (!use.defined) {
        hits.push(
          sectionHit(section, use.span, {
            title: `Acronym not defined: ${acronym}`,
            description: `"${acronym}" is never spelled out, so a reader from another team cannot know what it means.`,
            suggestion: `Spell it out on first use: "<full name> (${acronym})".`,
            confidence: 0.8,
          }),
        );
      } else if (use.definedLate) {
        hits.push({
          ...sectionHit(section, use.span, {
            title: `Acronym defined after first use: ${acronym}`,
            description: `"${acronym}" is spelled out only later in the document.`,
            suggestion: `Move the definition to the first use: "<full name> (${acronym})".`,
            confidence: 0.7,
          }),
          severity: 'info' as const,
        });
      }
    }
    return hits;
  },
};

/** Checks that acronyms are defined on first use (Hawkeye #20). */
export const acronymRules: Rule[] = [undefinedAcronym];
