/** A piece of a section's text with its position, so quotes are always exact substrings. */
export interface Span {
  /** The text, exactly as in the section. */
  text: string;
  /** Offset of the first character in the section text. */
  start: number;
  /** Offset after the last character. */
  end: number;
}

/** A list item or table row of a section: one entry of a timeline or an action plan. */
export interface Entry extends Span {
  /** `list` for a `- ` or `1. ` item, `row` for a table row (`a | b | c`). */
  kind: 'list' | 'row';
  /** For rows: the cells (trimmed). */
  cells: Span[];
  /** For rows: whether it is the header row of its table. */
  header: boolean;
}

const ABBREVIATIONS = new Set([
  'e.g',
  'i.e',
  'mr',
  'mrs',
  'ms',
  'dr',
  'prof',
  'st',
  'no',
  'vs',
  'approx',
  'etc',
  'fig',
  'inc',
  'ltd',
  'co',
  'dept',
  'est',
  'ref',
]);

/** Trims a span's whitespace, keeping its offsets exact. */
export function trimSpan(text: string, start: number, end: number): Span {
  let from = start;
  let to = end;
  while (from < to && /\s/.test(text.charAt(from))) from += 1;
  while (to > from && /\s/.test(text.charAt(to - 1))) to -= 1;
  return { text: text.slice(from, to), start: from, end: to };
}

/** The non-empty lines of a text. */
export function lines(text: string): Span[] {
  const result: Span[] = [];
  let start = 0;
  for (const part of text.split('\n')) {
    const span = trimSpan(text, start, start + part.length);
    if (span.text !== '') result.push(span);
    start += part.length + 1;
  }
  return result;
}

/** The paragraphs of a text (separated by blank lines). */
export function paragraphs(text: string): Span[] {
  const result: Span[] = [];
  const pattern = /\n\s*\n/g;
  let start = 0;
  for (const match of text.matchAll(pattern)) {
    const span = trimSpan(text, start, match.index);
    if (span.text !== '') result.push(span);
    start = match.index + match[0].length;
  }
  const last = trimSpan(text, start, text.length);
  if (last.text !== '') result.push(last);
  return result;
}

/**
 * The sentences of a text: split after `.`, `!` or `?` followed by a capital or a digit, and at
 * line ends; common abbreviations and initials do not end a sentence.
 */
export function sentences(text: string): Span[] {
  const result: Span[] = [];
  for (const line of lines(text)) {
    let start = line.start;
    const boundary = /[.!?]["')\]]?(?=\s+["'(]?[\p{Lu}\d])/gu;
    for (const match of line.text.matchAll(boundary)) {
      const end = line.start + match.index + match[0].length;
      const tail = text.slice(Math.max(start, end - 24), end);
      const before = /([\p{L}.]+)[.!?]["')\]]?$/u.exec(tail)?.[1] ?? '';
      if (ABBREVIATIONS.has(before.toLowerCase()) || /^\p{Lu}$/u.test(before)) continue;
      const span = trimSpan(text, start, end);
      if (span.text !== '') result.push(span);
      start = end;
    }
    const span = trimSpan(text, start, line.end);
    if (span.text !== '') result.push(span);
  }
  return result;
}

/** The list items and table rows of a section text, in order. */
export function entries(text: string): Entry[] {
  const result: Entry[] = [];
  let previousRow = false;
  for (const line of lines(text)) {
    const item = /^(?:[-*•]|\d{1,3}[.)])\s+/.exec(line.text);
    if (line.text.includes(' | ')) {
      const cells = splitCells(text, line);
      const header = !previousRow && !cells.some((cell) => /\d/.test(cell.text));
      result.push({ ...line, kind: 'row', cells, header });
      previousRow = true;
      continue;
    }
    previousRow = false;
    if (item !== null) {
      const content = trimSpan(text, line.start + item[0].length, line.end);
      result.push({ ...content, kind: 'list', cells: [], header: false });
    }
  }
  return result;
}

function splitCells(text: string, line: Span): Span[] {
  const cells: Span[] = [];
  let start = line.start;
  for (const part of line.text.split(' | ')) {
    cells.push(trimSpan(text, start, start + part.length));
    start += part.length + 3;
  }
  return cells;
}

/** The sentence of `within` that contains offset `at` (or the whole text when none does). */
function sentenceAt(text: string, at: number): Span {
  const found = sentences(text).find((span) => span.start <= at && at < span.end);
  return found ?? { text, start: 0, end: text.length };
}

/**
 * A short, exact quote around a match: the match widened to whole words, plus up to `after`
 * following words in the same sentence.
 */
export function quoteAround(text: string, start: number, end: number, after = 0): Span {
  let to = end;
  for (let words = 0; words < after; words += 1) {
    const next = /^[^\S\n]+[\p{L}\p{N}$€£%'’-]+/u.exec(text.slice(to));
    if (next === null) break;
    to += next[0].length;
  }
  return trimSpan(text, start, to);
}

/** Shortens a span to at most `max` characters at a word boundary (still an exact substring). */
export function clip(span: Span, max = 200): Span {
  if (span.text.length <= max) return span;
  const cut = span.text.slice(0, max);
  const lastSpace = cut.lastIndexOf(' ');
  const text = cut.slice(0, lastSpace > max / 2 ? lastSpace : max).trimEnd();
  return { text, start: span.start, end: span.start + text.length };
}

/** A crude stem: the word lower-cased, common suffixes removed, cut to 5 letters. */
export function stem(word: string): string {
  const lower = word.toLowerCase();
  const bare = lower.length > 4 ? lower.replace(/(?:ions?|ing|ures?|ed|es|s)$/, '') : lower;
  return bare.slice(0, 5);
}

/** The stems of the content words of a text (stop words left out). */
export function contentStems(text: string): Set<string> {
  const stems = new Set<string>();
  for (const word of text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []) {
    if (STOPWORDS.has(word) || word.length < 2) continue;
    stems.add(stem(word));
  }
  return stems;
}

const STOPWORDS = new Set(
  (
    'a an the and or but if of to in on at by for with from into onto as is was were be been ' +
    'being are it its this that these those there their they them then than so such which who ' +
    'whom whose what when where why how all any each both not no nor only own same too very can ' +
    'will would should could may might must has have had do does did done our we us his her ' +
    'he she him i me my you your also after before during while about over under again further ' +
    'once here out up down off above below between through until against'
  ).split(' '),
);

/** Counts the words of a text. */
export function wordCount(text: string): number {
  return (text.match(/[\p{L}\p{N}][\p{L}\p{N}'’-]*/gu) ?? []).length;
}

/**
 * An exact quote giving a match its context: its sentence when that is short, else the match
 * with up to `context` characters either side, cut at word boundaries.
 */
export function quoteInContext(text: string, start: number, end: number, context = 50): Span {
  const sentence = sentenceAt(text, start);
  if (sentence.text.length <= 2 * context + (end - start) && sentence.end >= end) return sentence;
  let from = Math.max(sentence.start, start - context);
  let to = Math.min(Math.max(sentence.end, end), end + context);
  while (from > sentence.start && /\S/.test(text.charAt(from - 1))) from -= 1;
  while (to < text.length && to < sentence.end && /\S/.test(text.charAt(to))) to += 1;
  return trimSpan(text, from, to);
}
