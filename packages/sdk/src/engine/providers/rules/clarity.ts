import type { Rule, RuleHit } from './rule.js';
import { sectionHit } from './rule.js';
import { quoteAround, quoteInContext } from './text.js';

const TIME_WORDS = new Set([
  'soon',
  'shortly',
  'recently',
  'a while',
  'for some time',
  'some time',
  'sometime',
  'at some point',
  'in the near future',
  'at a later date',
  'in due course',
  'as soon as possible',
  'asap',
]);

const patterns = new Map<string, RegExp>();

/** One case-insensitive, whole-word pattern for a list of words and phrases (longest first). */
function vaguePattern(words: readonly string[]): RegExp {
  const key = words.join('|');
  let pattern = patterns.get(key);
  if (pattern === undefined) {
    const alternatives = [...words]
      .sort((a, b) => b.length - a.length)
      .map((word) => word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\s+/g, '\\s+'));
    pattern = new RegExp(`\\b(?:${alternatives.join('|')})\\b`, 'gi');
    patterns.set(key, pattern);
  }
  return pattern;
}

/** Uses of a listed word that are not vague: "some 40", "as soon as", "how many". */
function excused(word: string, before: string, after: string): boolean {
  if (
    word === 'some' &&
    /^\s+(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten)\b/i.test(after)
  ) {
    return true;
  }
  if (word === 'soon' && /\bas\s+$/i.test(before) && /^\s+as\b/i.test(after)) return true;
  if ((word === 'many' || word === 'few') && /\b(?:how|as|too)\s+$/i.test(before)) return true;
  return false;
}

const vagueQuantifier: Rule = {
  category: 'vague-quantifier',
  item: 'clarity',
  severity: 'minor',
  about:
    'Vague quantifiers and time words ("some", "several", "soon") where a number or date belongs.',
  section({ section, options }) {
    const hits: RuleHit[] = [];
    const seen = new Set<string>();
    for (const match of section.text.matchAll(vaguePattern(options.vagueWords))) {
      const word = match[0].toLowerCase().replace(/\s+/g, ' ');
      const before = section.text.slice(Math.max(0, match.index - 12), match.index);
      const after = section.text.slice(match.index + match[0].length);
      if (seen.has(word) || excused(word, before, after)) continue;
      seen.add(word);
      const time = TIME_WORDS.has(word);
      const quote = quoteAround(
        section.text,
        match.index,
        match.index + match[0].length,
        time ? 0 : 1,
      );
      hits.push(
        sectionHit(section, quote, {
          title: `Vague ${time ? 'time' : 'quantity'}: "${match[0]}"`,
          description: time
            ? `"${match[0]}" does not say when; the reader cannot check it against a timeline or a deadline.`
            : `"${match[0]}" does not say how many; the reader cannot tell whether it means two or two hundred.`,
          suggestion: time
            ? `Replace "${quote.text}" with a date, time or duration.`
            : `Replace "${quote.text}" with the number (or a range, e.g. "3-4").`,
          confidence: 0.8,
        }),
      );
    }
    return hits;
  },
};

const PLACEHOLDER =
  /\b(?:TBD|TBC|TBA|TODO|FIXME)\b|(?<![\w*•-])XXX+(?![\w*•-])|\?{3,}|\[(?:insert|add|placeholder|tbd|todo|name|date|owner|link|to be)[^\]]{0,40}\]|<(?:insert|placeholder|tbd)[^>]{0,40}>|\blorem ipsum\b/g;

const placeholder: Rule = {
  category: 'placeholder',
  item: 'clarity',
  severity: 'minor',
  about: 'Placeholders left in the text (TBD, TODO, XXX, ???, [insert ...]).',
  section({ section }) {
    const hits: RuleHit[] = [];
    const seen = new Set<string>();
    for (const match of section.text.matchAll(PLACEHOLDER)) {
      if (seen.has(match[0])) continue;
      seen.add(match[0]);
      const end = match.index + match[0].length;
      hits.push(
        sectionHit(section, quoteInContext(section.text, match.index, end, 40), {
          title: `Placeholder left in: "${match[0]}"`,
          description:
            'A placeholder means the document is unfinished here; readers cannot act on a value that was never filled in.',
          suggestion: `Replace "${match[0]}" with the actual value, or say explicitly that it is not yet known, why, and when it will be.`,
          confidence: 0.95,
        }),
      );
    }
    return hits;
  },
};

/** Checks of vague words and placeholders (Hawkeye #20). */
export const clarityRules: Rule[] = [vagueQuantifier, placeholder];
