/** Words that a full stop follows without ending the sentence ("e.g.", "Mr.", "approx."). */
const ABBREVIATIONS = new Set(
  (
    'e.g i.e cf viz vs approx ca mr mrs ms mx dr prof st sr jr messrs rev hon gen col capt lt ' +
    'sgt inc ltd co corp dept univ est al'
  ).split(' '),
);

/** Words whose full stop ends no sentence when a number follows ("No. 5", "Fig. 3", "Jan. 4"). */
const BEFORE_NUMBER = new Set(
  (
    'no nos fig figs p pp vol sec ch art para ref tel ext jan feb mar apr jun jul aug sep sept ' +
    'oct nov dec'
  ).split(' '),
);

/** End punctuation, with any closing quotes or brackets, before a space and a capital or digit. */
const BOUNDARY = /[.!?…]+["'”’)\]]*(?=\s+["'“‘([]?[\p{Lu}\p{N}])/gu;

/**
 * The sentences of one line of text, each exactly as it appears there (trimmed). A sentence
 * ends at `.`, `!` or `?` followed by a capital or a digit, except after an abbreviation
 * ("e.g.", "Mr.", "No. 5"), an initial ("J. Smith") or a dotted capital acronym ("U.K.");
 * decimals (`3.5`) and clock times (`10:42`) never end one, having no space after the stop.
 */
export function lineSentences(line: string): string[] {
  const result: string[] = [];
  let start = 0;
  for (const match of line.matchAll(BOUNDARY)) {
    const end = match.index + match[0].length;
    if (!match[0].startsWith('.') || endsSentence(line, match.index, end)) {
      pushTrimmed(result, line.slice(start, end));
      start = end;
    }
  }
  pushTrimmed(result, line.slice(start));
  return result;
}

/** Whether the full stop at `stop` ends a sentence, judging by the word before it. */
function endsSentence(line: string, stop: number, end: number): boolean {
  const word = /[^\s("'“‘[]+$/.exec(line.slice(0, stop))?.[0] ?? '';
  const lower = word.toLowerCase();
  if (word === '') return true;
  if (ABBREVIATIONS.has(lower) || /^\p{L}$/u.test(word) || /^\p{Lu}(?:\.\p{Lu})+$/u.test(word)) {
    return false;
  }
  return !(BEFORE_NUMBER.has(lower) && /^\s+\p{N}/u.test(line.slice(end)));
}

function pushTrimmed(result: string[], text: string): void {
  const trimmed = text.trim();
  if (trimmed !== '') result.push(trimmed);
}
