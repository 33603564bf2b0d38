import type { Block } from '../types.js';

/** One run of text on a PDF page, as the text layer reports it (PDF points, origin bottom-left). */
export interface PdfTextRun {
  /** The text; may be empty or whitespace. */
  text: string;
  /** Left edge of the run's baseline. */
  x: number;
  /** Height of the baseline above the page's bottom. */
  y: number;
  /** Advance width of the run. */
  width: number;
  /** Font size in points. */
  size: number;
  /** Whether the run's font is a bold (or black, heavy, semibold) face. */
  bold: boolean;
}

/** The text layer of one page. */
export interface PdfPageText {
  /** 1-based page number. */
  page: number;
  /** Page height in points. */
  height: number;
  /** The page's runs, in content order. */
  runs: PdfTextRun[];
}

/** A line of text: runs sharing a baseline, split into cells where wide gaps separate them. */
interface Line {
  page: number;
  text: string;
  cells: string[];
  /** The first run's text, to spot a bullet drawn in a font of its own. */
  firstRun: string;
  x: number;
  right: number;
  y: number;
  size: number;
  bold: boolean;
  /** Where the line sits: in the top or bottom margin band of its page, or the body. */
  band: 'top' | 'bottom' | 'body';
}

/** A line being assembled from runs. */
interface LineDraft extends Line {
  sizes: Map<number, number>;
  boldChars: number;
  allChars: number;
}

/** What a paragraph is, before heading inference. */
type ParagraphRole =
  | { kind: 'text' }
  | { kind: 'item'; ordered: boolean; marker: string }
  | { kind: 'row' }
  | { kind: 'contents' };

/** Consecutive lines read as one block. */
interface Paragraph {
  lines: Line[];
  role: ParagraphRole;
  /** The right edge of its widest line. */
  right: number;
  /** The most common font size of its text. */
  size: number;
}

/** Runs this far apart (in font sizes) need a space between them. */
const WORD_GAP = 0.2;
/** Runs this far apart (in font sizes) are in different table cells. */
const CELL_GAP = 2.5;
/** The top and bottom share of a page where running headers and footers sit. */
const MARGIN_BAND = 0.12;
/** A paragraph ends where lines are this much further apart than the usual line spacing. */
const PARAGRAPH_GAP_FACTOR = 1.3;
/** A heading is at least this much larger than the body text. */
const HEADING_SIZE_FACTOR = 1.15;
/** Lines of one paragraph differ in size by at most this share (inline code, links). */
const SIZE_TOLERANCE = 0.1;
/** Deepest heading level inferred. */
const MAX_HEADING_LEVEL = 6;

const BULLET =
  /^([\u2022\u25CF\u25E6\u25AA\u25A0\u25A1\u2023\u2043\u2219\u00B7\u27A2\u2013\uF0A7\uF0B7\uF0D8\uF0FC*-])\s+(?=\S)/;
const NUMBER = /^(\(?(?:\d{1,3}|[a-z]|[ivx]{1,5})[.)])\s+(?=\S)/i;
const PAGE_NUMBER = /^(?:page\s+)?(?:\d{1,5}|[ivxlc]{1,7})(?:\s*(?:of|\/)\s*\d{1,5})?$/i;
/** Dot leaders of a table of contents: `Scope ........ 4`. */
const LEADER = /(?:\.\s?){4,}|(?:\u2026\s?){2,}/;
const LEADERS = new RegExp(LEADER.source, 'g');
/** Private-use characters: glyphs of symbol fonts with no Unicode meaning. */
const PRIVATE_USE = /[\uE000-\uF8FF]/g;

/**
 * Lays out the text layer of a PDF as blocks:
 * - runs become lines (by baseline); wide gaps inside a line split it into cells, and a line
 *   with several cells is a table row;
 * - lines become paragraphs by spacing (against the document's usual line spacing), font size
 *   and weight, list markers (bullets, `1.`, `a)`), and short lines that end a sentence;
 * - short paragraphs in a larger font than the body (the most common size) are headings,
 *   levelled by size (see {@link levelHeadings}); bold ones at body size come after;
 * - running headers and footers (the same words in a page's margin band on at least three
 *   pages and 40% of them) and page numbers are dropped; table-of-contents lines keep their
 *   text without the dot leaders and are never headings.
 * `anchor.page` is the 1-based page of the block's first line; `fontSize` is rounded to 0.5 pt.
 */
export function layoutPdfText(pages: PdfPageText[]): Block[] {
  const lines = dropRunningLines(pages.flatMap(pageLines), pages.length);
  const paragraphs = groupParagraphs(lines, usualLineGap(lines));
  const headingLevels = levelHeadings(paragraphs, usualSize(paragraphs));
  const listLevels = levelLists(paragraphs);
  return paragraphs.map((paragraph, index) =>
    toBlock(paragraph, index, headingLevels.get(paragraph), listLevels.get(paragraph) ?? 0),
  );
}

/** The page's runs joined into lines, in content order. */
function pageLines(page: PdfPageText): Line[] {
  const lines: Line[] = [];
  let current: LineDraft | null = null;
  for (const run of page.runs) {
    if (run.text === '' || run.size <= 0) continue;
    const blank = run.text.trim() === '';
    if (current && !onSameLine(current, run)) {
      lines.push(finishLine(current));
      current = null;
    }
    if (current === null) {
      if (blank) continue;
      current = startLine(page, run);
    }
    if (blank) {
      current.text += ' ';
      continue;
    }
    const gap = run.x - current.right;
    if (current.text !== '' && gap >= run.size * CELL_GAP) {
      current.cells.push(current.text);
      current.text = '';
    } else if (current.text !== '' && gap > run.size * WORD_GAP && !/\s$/.test(current.text)) {
      current.text += ' ';
    }
    current.text += run.text;
    current.right = Math.max(current.right, run.x + run.width);
    const chars = run.text.replace(/\s/g, '').length;
    const size = roundSize(run.size);
    current.sizes.set(size, (current.sizes.get(size) ?? 0) + chars);
    current.allChars += chars;
    if (run.bold) current.boldChars += chars;
  }
  if (current) lines.push(finishLine(current));
  return lines.filter((line) => line.text !== '');
}

function onSameLine(line: LineDraft, run: PdfTextRun): boolean {
  const size = Math.max(run.size, line.size);
  return Math.abs(run.y - line.y) <= size * 0.4 && run.x >= line.right - size;
}

function bandOf(y: number, pageHeight: number): Line['band'] {
  if (y < pageHeight * MARGIN_BAND) return 'bottom';
  if (y > pageHeight * (1 - MARGIN_BAND)) return 'top';
  return 'body';
}

function startLine(page: PdfPageText, run: PdfTextRun): LineDraft {
  return {
    page: page.page,
    text: '',
    cells: [],
    firstRun: run.text.trim(),
    x: run.x,
    right: run.x,
    y: run.y,
    size: run.size,
    bold: false,
    band: bandOf(run.y, page.height),
    sizes: new Map(),
    boldChars: 0,
    allChars: 0,
  };
}

function finishLine(draft: LineDraft): Line {
  const { sizes, boldChars, allChars, ...line } = draft;
  const cells = [...line.cells, line.text].map(collapse).filter((cell) => cell !== '');
  return {
    ...line,
    text: cells.join(' '),
    cells,
    size: mostCommon(sizes) ?? roundSize(line.size),
    bold: allChars > 0 && boldChars === allChars,
  };
}

/**
 * Drops page numbers in the margin bands, and running headers and footers: margin-band text
 * whose words (numbers aside) repeat in the same band on at least three pages and 40% of them.
 */
function dropRunningLines(lines: Line[], pageCount: number): Line[] {
  const key = (line: Line) =>
    `${line.band}|${line.text
      .toLowerCase()
      .replace(/\b[ivxlc]+\b|\d+/g, '')
      .replace(/[^\p{L}]/gu, '')}`;
  const pagesByKey = new Map<string, Set<number>>();
  for (const line of lines) {
    if (line.band === 'body') continue;
    const pages = pagesByKey.get(key(line)) ?? new Set<number>();
    pages.add(line.page);
    pagesByKey.set(key(line), pages);
  }
  const minPages = Math.max(3, pageCount * 0.4);
  return lines.filter((line) => {
    if (line.band === 'body') return true;
    if (PAGE_NUMBER.test(line.text)) return false;
    return (pagesByKey.get(key(line))?.size ?? 0) < minPages;
  });
}

/** The most common distance between consecutive lines of one size, in font sizes. */
function usualLineGap(lines: Line[]): number {
  const ratios = new Map<number, number>();
  for (let i = 1; i < lines.length; i++) {
    const [above, below] = [lines[i - 1], lines[i]];
    if (!above || !below || above.page !== below.page || above.size !== below.size) continue;
    const ratio = (above.y - below.y) / below.size;
    if (ratio <= 0.5 || ratio > 3) continue;
    const bucket = Math.round(ratio * 20) / 20;
    ratios.set(bucket, (ratios.get(bucket) ?? 0) + 1);
  }
  return mostCommon(ratios) ?? 1.2;
}

function groupParagraphs(lines: Line[], lineGap: number): Paragraph[] {
  const paragraphs: Paragraph[] = [];
  let current: Paragraph | null = null;
  for (const line of lines) {
    const role = lineRole(line);
    const previous = current?.lines.at(-1);
    if (
      current &&
      previous &&
      role.kind === 'text' &&
      continues(current, previous, line, lineGap)
    ) {
      current.lines.push(line);
      current.right = Math.max(current.right, line.right);
      continue;
    }
    const own =
      role.kind === 'item' ? { ...line, text: line.text.slice(role.marker.length) } : line;
    current = { lines: [own], role, right: line.right, size: line.size };
    paragraphs.push(current);
  }
  for (const paragraph of paragraphs) paragraph.size = paragraphSize(paragraph);
  return paragraphs;
}

/** What a line starts: a table row, a contents entry, a list item, or plain text. */
function lineRole(line: Line): ParagraphRole {
  if (line.cells.length > 1) return { kind: 'row' };
  if (LEADER.test(line.text)) return { kind: 'contents' };
  const bullet = BULLET.exec(line.text);
  if (bullet?.[0]) return { kind: 'item', ordered: false, marker: bullet[0] };
  if (line.firstRun === 'o' && /^o\s+\S/.test(line.text)) {
    return { kind: 'item', ordered: false, marker: 'o ' };
  }
  const number = NUMBER.exec(line.text);
  if (number?.[0]) return { kind: 'item', ordered: true, marker: number[0] };
  return { kind: 'text' };
}

/** Whether `line` carries on the paragraph whose last line is `previous`. */
function continues(paragraph: Paragraph, previous: Line, line: Line, lineGap: number): boolean {
  if (paragraph.role.kind === 'row' || paragraph.role.kind === 'contents') return false;
  const sizeShift = Math.abs(line.size - previous.size) / Math.max(line.size, previous.size);
  if (sizeShift > SIZE_TOLERANCE || line.bold !== previous.bold) return false;
  if (line.page !== previous.page) {
    return (
      line.page === previous.page + 1 &&
      !/[.:!?]$/.test(previous.text) &&
      /^\p{Ll}/u.test(line.text)
    );
  }
  const gap = (previous.y - line.y) / line.size;
  if (gap <= 0 || gap > lineGap * PARAGRAPH_GAP_FACTOR) return false;
  const start = paragraph.lines[0];
  if (paragraph.role.kind === 'item' && start && line.x < start.x - line.size) return false;
  const columnRight = Math.max(paragraph.right, line.right);
  const endsShortSentence =
    /[.:!?]["')\]]?$/.test(previous.text) && previous.right < columnRight - 4 * line.size;
  return !endsShortSentence;
}

function paragraphSize(paragraph: Paragraph): number {
  const sizes = new Map<number, number>();
  for (const line of paragraph.lines) {
    sizes.set(line.size, (sizes.get(line.size) ?? 0) + line.text.length);
  }
  return mostCommon(sizes) ?? paragraph.size;
}

/** The font size of most text (by characters). */
function usualSize(paragraphs: Paragraph[]): number | null {
  const sizes = new Map<number, number>();
  for (const paragraph of paragraphs) {
    const length = paragraph.lines.reduce((sum, line) => sum + line.text.length, 0);
    sizes.set(paragraph.size, (sizes.get(paragraph.size) ?? 0) + length);
  }
  return mostCommon(sizes);
}

/**
 * The paragraphs that are headings, with their levels. A heading is short (three lines,
 * 150 characters), has words, does not end like a sentence, and is either larger than the
 * body or bold at body size. Levels rank the sizes used by headings on at least two pages
 * (all sizes, when none is), so one-off sizes of a cover page do not push every heading down:
 * a heading's level is one more than the number of those sizes larger than its own; headings
 * larger than all of them (a title) are level 1 and put the others one level lower; bold
 * body-size headings come after every sized one.
 */
function levelHeadings(paragraphs: Paragraph[], bodySize: number | null): Map<Paragraph, number> {
  const sized = new Map<Paragraph, number>();
  const bold: Paragraph[] = [];
  if (bodySize === null) return new Map();
  for (const paragraph of paragraphs) {
    const { role, lines, size } = paragraph;
    if (role.kind === 'row' || role.kind === 'contents') continue;
    const text = paragraphText(paragraph);
    if (lines.length > 3 || text.length > 150) continue;
    if (!/\p{L}{2}/u.test(text) || /[.,;]$/.test(text)) continue;
    if (size >= bodySize * HEADING_SIZE_FACTOR) sized.set(paragraph, size);
    else if (lines.every((line) => line.bold) && size >= bodySize * 0.9 && text.length <= 100) {
      bold.push(paragraph);
    }
  }
  const pagesBySize = new Map<number, Set<number>>();
  for (const [paragraph, size] of sized) {
    const pages = pagesBySize.get(size) ?? new Set<number>();
    pages.add(paragraph.lines[0]?.page ?? 0);
    pagesBySize.set(size, pages);
  }
  const recurring = [...pagesBySize].filter(([, pages]) => pages.size >= 2).map(([size]) => size);
  const ranked = recurring.length > 0 ? recurring : [...pagesBySize.keys()];
  const largestRanked = Math.max(...ranked);
  const belowTitle = [...pagesBySize.keys()].some((size) => size > largestRanked) ? 1 : 0;
  const levels = new Map<Paragraph, number>();
  const setLevel = (paragraph: Paragraph, level: number) =>
    levels.set(paragraph, Math.min(level, MAX_HEADING_LEVEL));
  for (const [paragraph, size] of sized) {
    const larger = ranked.filter((other) => other > size).length;
    setLevel(paragraph, size > largestRanked ? 1 : larger + 1 + belowTitle);
  }
  for (const paragraph of bold) setLevel(paragraph, ranked.length + 1 + belowTitle);
  return levels;
}

/** Nesting depth of each list item: the rank of its indent within its run of list items. */
function levelLists(paragraphs: Paragraph[]): Map<Paragraph, number> {
  const levels = new Map<Paragraph, number>();
  let run: Paragraph[] = [];
  const close = () => {
    const indents: number[] = [];
    for (const item of run) {
      const x = item.lines[0]?.x ?? 0;
      if (!indents.some((indent) => Math.abs(indent - x) < 4)) indents.push(x);
    }
    indents.sort((a, b) => a - b);
    for (const item of run) {
      const x = item.lines[0]?.x ?? 0;
      levels.set(
        item,
        Math.max(
          indents.findIndex((indent) => Math.abs(indent - x) < 4),
          0,
        ),
      );
    }
    run = [];
  };
  for (const paragraph of paragraphs) {
    if (paragraph.role.kind === 'item') run.push(paragraph);
    else close();
  }
  close();
  return levels;
}

function toBlock(
  paragraph: Paragraph,
  index: number,
  headingLevel: number | undefined,
  listLevel: number,
): Block {
  const { role, lines } = paragraph;
  const anchor = { block: index, page: lines[0]?.page ?? 1 };
  const style = { fontSize: paragraph.size, bold: lines.every((line) => line.bold) };
  const text = paragraphText(paragraph);
  if (headingLevel !== undefined) {
    const full = role.kind === 'item' ? `${role.marker.trim()} ${text}` : text;
    return { kind: 'heading', level: headingLevel, text: full, ...style, anchor };
  }
  if (role.kind === 'item') {
    const { ordered } = role;
    return { kind: 'list-item', level: listLevel, ordered, text, ...style, anchor };
  }
  if (role.kind === 'row') {
    const cells = (lines[0]?.cells ?? []).map(clean);
    return { kind: 'table-row', text: cells.join(' | '), cells, ...style, anchor };
  }
  return { kind: 'paragraph', text, ...style, anchor };
}

/** The paragraph's text; a line ending in a hyphen joins the next line without a space. */
function paragraphText(paragraph: Paragraph): string {
  let text = '';
  for (const line of paragraph.lines) {
    const joiner = text === '' || /\p{L}-$/u.test(text) ? '' : ' ';
    text = `${text}${joiner}${line.text}`;
  }
  return clean(text);
}

/** Text without dot leaders and symbol-font glyphs, whitespace collapsed. */
function clean(text: string): string {
  return collapse(text.replace(LEADERS, ' ').replace(PRIVATE_USE, ' '));
}

function mostCommon(counts: Map<number, number>): number | null {
  let best: number | null = null;
  for (const [value, count] of counts) {
    if (best === null || count > (counts.get(best) ?? 0)) best = value;
  }
  return best;
}

function roundSize(size: number): number {
  return Math.round(size * 2) / 2;
}

function collapse(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
