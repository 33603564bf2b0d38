import type { Block, ExtractedDocument } from '../types.js';

/** Hand-wrapped text has its longest line between these widths; other lines stand alone. */
const MIN_WRAP_WIDTH = 40;
const MAX_WRAP_WIDTH = 120;

/** A hand-wrapped line reaches at least this share of its paragraph's longest line. */
const WRAPPED_LINE_SHARE = 0.7;

/** Bullets (`- `, `* `, `+ `, `• `) and numbers or letters (`1. `, `2) `, `a) `, `(iv) `). */
const LIST_MARKER =
  /^([-*+\u2022\u2023\u25E6\u25AA]|\(?(?:\d{1,3}|[a-z]|[ivx]{1,5})[.)])\s+(?=\S)/i;

/**
 * Reads plain text into paragraphs and list items; headings are left to the sectioner.
 *
 * - Blank lines separate paragraphs. Within a paragraph, lines wrapped by hand (the longest
 *   40 to 120 characters, each line close to it) are joined; any other line break (after a
 *   short line such as "Summary", between short lines such as "Owner: Sam", or between long
 *   unwrapped lines) starts a new paragraph, so title-like lines stay on their own for
 *   heading inference.
 * - A line starting with a list marker starts a list item (`ordered` for numbers and letters),
 *   its nesting depth taken from its indentation; indented or wrapped lines under it continue it.
 * - A leading byte-order mark is dropped; the title is left null.
 */
export function extractText(text: string): ExtractedDocument {
  const blocks: Block[] = [];
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n?|\n/);
  let paragraph: string[] = [];
  const flush = () => {
    for (const block of chunkBlocks(paragraph)) {
      blocks.push({ ...block, anchor: { block: blocks.length, page: null } });
    }
    paragraph = [];
  };
  for (const line of lines) {
    if (line.trim() === '') flush();
    else paragraph.push(line);
  }
  flush();
  return { format: 'text', title: null, blocks, pageCount: null };
}

/** The blocks of one run of non-blank lines. */
function chunkBlocks(lines: string[]): Omit<Block, 'anchor'>[] {
  const longest = lines.reduce((max, line) => Math.max(max, line.trim().length), 0);
  const blocks: Omit<Block, 'anchor'>[] = [];
  const listIndents: number[] = [];
  let previous = '';
  const continuesWrap = (before: string) =>
    longest >= MIN_WRAP_WIDTH &&
    longest <= MAX_WRAP_WIDTH &&
    before.length >= longest * WRAPPED_LINE_SHARE;
  for (const line of lines) {
    const trimmed = line.trim();
    const marker = LIST_MARKER.exec(trimmed);
    const current = blocks.at(-1);
    if (marker) {
      const indent = indentWidth(line);
      while (listIndents.length > 0 && (listIndents.at(-1) ?? 0) > indent) listIndents.pop();
      if (listIndents.at(-1) !== indent) listIndents.push(indent);
      blocks.push({
        kind: 'list-item',
        level: listIndents.length - 1,
        ordered: !/^[-*+\u2022\u2023\u25E6\u25AA]/.test(trimmed),
        text: collapse(trimmed.slice(marker[0].length)),
      });
    } else if (current && (continuesItem(current, line, listIndents) || continuesWrap(previous))) {
      current.text = `${current.text} ${collapse(trimmed)}`;
    } else {
      listIndents.length = 0;
      blocks.push({ kind: 'paragraph', text: collapse(trimmed) });
    }
    previous = trimmed;
  }
  return blocks;
}

/** An indented line under a list item continues it. */
function continuesItem(current: Omit<Block, 'anchor'>, line: string, indents: number[]): boolean {
  return current.kind === 'list-item' && indentWidth(line) > (indents.at(-1) ?? 0);
}

function indentWidth(line: string): number {
  const leading = /^[ \t]*/.exec(line)?.[0] ?? '';
  return leading.replace(/\t/g, '    ').length;
}

function collapse(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
