/**
 * What a finding's confidence is multiplied by when its quote does not occur in the text it is
 * about (the quote is then dropped): evidence that is not there halves the trust in the claim.
 */
export const QUOTE_MISS_CONFIDENCE_FACTOR = 0.5;

/** What a model's quote became once checked against the text it is about. */
export interface CheckedQuote {
  /** The exact text from the source, or null when the quote does not occur in it. */
  quote: string | null;
  /** Whether a quote was given and not found (so confidence is lowered). */
  missed: boolean;
}

/**
 * Checks a model's quote against the texts it may come from. A quote that occurs exactly is
 * kept; one that occurs once whitespace runs, curly and straight quote marks, dashes, NBSP
 * and other space characters and zero-width characters are folded is replaced by the exact
 * text of the source it matched (otherwise the match is case-sensitive); one that does not
 * occur becomes null with `missed` set. A blank quote is simply null.
 */
export function checkQuote(quote: string | null, texts: readonly string[]): CheckedQuote {
  if (quote === null || quote.trim() === '') return { quote: null, missed: false };
  for (const text of texts) {
    if (text.includes(quote)) return { quote, missed: false };
  }
  for (const text of texts) {
    const found = locateLoosely(quote, text);
    if (found !== null) return { quote: found, missed: false };
  }
  return { quote: null, missed: true };
}

/** Text with each character folded, and where each folded character came from. */
interface FoldedText {
  text: string;
  /** For each character of `text`, the index in the source where it starts. */
  starts: number[];
  /** For each character of `text`, the index in the source just after it. */
  ends: number[];
}

const SINGLE_QUOTES = new Set(['\u2018', '\u2019', '\u201a', '\u201b', '\u2032', '`', '\u00b4']);
const DOUBLE_QUOTES = new Set([
  '\u201c',
  '\u201d',
  '\u201e',
  '\u201f',
  '\u2033',
  '\u00ab',
  '\u00bb',
]);
const DASHES = new Set(['\u2010', '\u2011', '\u2012', '\u2013', '\u2014', '\u2015', '\u2212']);
const INVISIBLE = new Set(['\u00ad', '\u200b', '\u200c', '\u200d', '\u2060', '\ufeff']);

/** The exact span of `text` that `quote` matches once both are folded, or null. */
function locateLoosely(quote: string, text: string): string | null {
  const needle = fold(quote.trim()).text;
  if (needle === '') return null;
  const haystack = fold(text);
  const at = haystack.text.indexOf(needle);
  if (at < 0) return null;
  const start = haystack.starts[at];
  const end = haystack.ends[at + needle.length - 1];
  return start === undefined || end === undefined ? null : text.slice(start, end);
}

function fold(source: string): FoldedText {
  const folded: FoldedText = { text: '', starts: [], ends: [] };
  let index = 0;
  for (const char of source) {
    const next = index + char.length;
    const mapped = foldChar(char);
    const collapses = mapped === ' ' && folded.text.endsWith(' ');
    if (mapped !== '' && !collapses) {
      folded.text += mapped;
      folded.starts.push(index);
      folded.ends.push(next);
    }
    index = next;
  }
  return folded;
}

function foldChar(char: string): string {
  if (INVISIBLE.has(char)) return '';
  if (/\s/u.test(char)) return ' ';
  if (SINGLE_QUOTES.has(char)) return "'";
  if (DOUBLE_QUOTES.has(char)) return '"';
  if (DASHES.has(char)) return '-';
  return char;
}
