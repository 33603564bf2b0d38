import type { Anchor, Section } from '../schema/index.js';
import { ExtractionError } from './errors.js';
import type { Block, ExtractedDocument, ReviewableDocument } from './types.js';

/** How {@link splitSections} cuts a document. */
export interface SectionOptions {
  /** A section longer than this (characters) is split at block boundaries (default 6,000). */
  maxSectionChars: number;
  /** Heading-free prose is grouped into sections of about this many characters (default 1,500). */
  proseGroupChars: number;
  /** A heading-less fragment shorter than this joins the section before it (default 80). */
  minFragmentChars: number;
  /** Most sections a document may have (default 5,000); more is `too_many_sections`. */
  maxSections: number;
}

/** The sectioning defaults. */
export const DEFAULT_SECTION_OPTIONS: SectionOptions = {
  maxSectionChars: 6000,
  proseGroupChars: 1500,
  minFragmentChars: 80,
  maxSections: 5000,
};

interface Draft {
  heading: string | null;
  level: number;
  blocks: Block[];
}

/**
 * Splits an extracted document into review sections.
 *
 * - A section starts at every heading: a heading block, or a paragraph that reads as one
 *   (a numbered title like "2.1 Root cause", a short ALL-CAPS line, a short bold line, a short
 *   line ending in a colon, or a line in a larger font than the body).
 * - A heading with no text of its own before a deeper heading (a document title, a chapter
 *   heading) opens no section, but its text prefixes the deeper headings ("Containment / At
 *   the plant"); an empty section under a heading of its own is kept (empty).
 * - Without any headings but the title, paragraphs are grouped into sections of about `proseGroupChars`.
 * - Sections longer than `maxSectionChars` are split at block boundaries; heading-less
 *   fragments shorter than `minFragmentChars` join the section before them.
 * Every section keeps the anchors of its blocks.
 *
 * @throws {ExtractionError} `too_many_sections` past `maxSections`.
 */
export function splitSections(
  doc: ExtractedDocument,
  options: Partial<SectionOptions> = {},
): ReviewableDocument {
  const settings = { ...DEFAULT_SECTION_OPTIONS, ...options };
  const bodySize = typicalFontSize(doc.blocks);
  const title = doc.title ?? firstTitle(doc.blocks);
  const headed = toDrafts(doc.blocks, bodySize, title);
  const hasHeadings = headed.some((draft) => draft.heading !== null && draft.heading !== title);
  const drafts = hasHeadings ? headed : groupProse(doc.blocks, settings.proseGroupChars);
  const sized = mergeFragments(
    drafts.flatMap((draft) => splitLong(draft, settings.maxSectionChars)),
    settings.minFragmentChars,
  );
  if (sized.length > settings.maxSections) {
    throw new ExtractionError(
      'too_many_sections',
      `The document has ${sized.length} sections; the limit is ${settings.maxSections}.`,
      { hint: 'Split the document into smaller files, or raise the maxSections limit.' },
    );
  }
  const sections = sized.map((draft, index) => toSection(draft, index));
  return { title, sections };
}

function toDrafts(blocks: Block[], bodySize: number | null, title: string | null): Draft[] {
  const drafts: Draft[] = [];
  let current: Draft = { heading: null, level: 0, blocks: [] };
  for (const block of blocks) {
    const level = headingLevel(block, bodySize);
    if (level === null) {
      current.blocks.push(block);
      continue;
    }
    drafts.push(current);
    current = { heading: cleanHeading(block.text), level, blocks: [] };
  }
  drafts.push(current);
  return withParentHeadings(drafts, title);
}

/**
 * Drops headings with no text of their own that open deeper ones (a document title, a chapter
 * heading) and prefixes their text to the deeper headings under them ("Containment / At the
 * plant"), so a section keeps the name of what it belongs to.
 */
function withParentHeadings(drafts: Draft[], title: string | null): Draft[] {
  const kept: Draft[] = [];
  const parents: { heading: string; level: number }[] = [];
  drafts.forEach((draft, i) => {
    if (draft.heading === null) {
      if (draft.blocks.length > 0) kept.push(draft);
      return;
    }
    while ((parents.at(-1)?.level ?? 0) >= draft.level && parents.length > 0) parents.pop();
    const next = drafts[i + 1];
    const isTitle = title !== null && draft.heading === title && i <= 1;
    const opensDeeper = next !== undefined && next.heading !== null && next.level > draft.level;
    if (draft.blocks.length === 0 && (isTitle || opensDeeper)) {
      if (!isTitle) parents.push({ heading: draft.heading, level: draft.level });
      return;
    }
    const prefix = parents.map((parent) => `${parent.heading} / `).join('');
    kept.push({ ...draft, heading: `${prefix}${draft.heading}` });
  });
  return kept;
}

/** The heading level a block has or reads as, or null for body text. */
function headingLevel(block: Block, bodySize: number | null): number | null {
  if (block.kind === 'heading') return block.level ?? 1;
  if (block.kind !== 'paragraph') return null;
  const text = block.text.trim();
  const words = text.split(/\s+/).length;
  if (text.length === 0 || text.length > 90 || words > 12 || /[.!?;,]$/.test(text)) return null;
  const numbered = /^(\d+(?:\.\d+)*)\.?\s+\p{Lu}/u.exec(text);
  if (numbered?.[1]) return numbered[1].split('.').length;
  if (bodySize !== null && block.fontSize !== undefined && block.fontSize >= bodySize * 1.15) {
    return block.fontSize >= bodySize * 1.5 ? 1 : 2;
  }
  const letters = text.replace(/[^\p{L}]/gu, '');
  if (letters.length >= 3 && letters === letters.toUpperCase() && words <= 8) return 2;
  if (block.bold === true && words <= 10) return 2;
  if (text.endsWith(':') && words <= 6) return 3;
  return null;
}

function cleanHeading(text: string): string {
  return text.replace(/:$/, '').trim();
}

/** The most common font size of body text, when the format reports sizes. */
function typicalFontSize(blocks: Block[]): number | null {
  const weights = new Map<number, number>();
  for (const block of blocks) {
    if (block.fontSize === undefined) continue;
    weights.set(block.fontSize, (weights.get(block.fontSize) ?? 0) + block.text.length);
  }
  let best: number | null = null;
  for (const [size, weight] of weights) {
    if (best === null || weight > (weights.get(best) ?? 0)) best = size;
  }
  return best;
}

function groupProse(blocks: Block[], target: number): Draft[] {
  const drafts: Draft[] = [];
  let current: Draft = { heading: null, level: 0, blocks: [] };
  let size = 0;
  for (const block of blocks) {
    if (block.kind === 'heading') continue;
    if (size >= target && block.kind === 'paragraph') {
      drafts.push(current);
      current = { heading: null, level: 0, blocks: [] };
      size = 0;
    }
    current.blocks.push(block);
    size += block.text.length;
  }
  drafts.push(current);
  return drafts.filter((draft) => draft.blocks.length > 0);
}

function splitLong(draft: Draft, max: number): Draft[] {
  const parts: Draft[] = [];
  let current: Draft = { ...draft, blocks: [] };
  let size = 0;
  for (const block of draft.blocks) {
    if (size > 0 && size + block.text.length > max) {
      parts.push(current);
      current = { ...draft, blocks: [] };
      size = 0;
    }
    current.blocks.push(block);
    size += block.text.length + 2;
  }
  parts.push(current);
  return parts;
}

function mergeFragments(drafts: Draft[], min: number): Draft[] {
  const merged: Draft[] = [];
  for (const draft of drafts) {
    const previous = merged.at(-1);
    const size = draft.blocks.reduce((sum, block) => sum + block.text.length, 0);
    if (previous !== undefined && draft.heading === null && size < min) {
      previous.blocks.push(...draft.blocks);
    } else {
      merged.push(draft);
    }
  }
  return merged;
}

function toSection(draft: Draft, index: number): Section {
  return {
    index,
    heading: draft.heading,
    level: draft.heading === null ? 0 : Math.min(draft.level, 9),
    text: sectionText(draft.blocks),
    anchors: uniqueAnchors(draft.blocks),
  };
}

/**
 * The section's plain text: paragraphs separated by blank lines; list items (`- ` or `1. `,
 * indented by depth) and table rows one per line.
 */
function sectionText(blocks: Block[]): string {
  const lines: string[] = [];
  let counters: number[] = [];
  let previous: Block | undefined;
  for (const block of blocks) {
    const compact = block.kind === 'list-item' || block.kind === 'table-row';
    if (previous !== undefined) {
      const sameRun = compact && previous.kind === block.kind;
      lines.push(sameRun ? '\n' : '\n\n');
    }
    if (block.kind === 'list-item') {
      const depth = block.level ?? 0;
      counters = counters.slice(0, depth + 1);
      counters[depth] = (previous?.kind === 'list-item' ? (counters[depth] ?? 0) : 0) + 1;
      const marker = block.ordered ? `${counters[depth]}.` : '-';
      lines.push(`${'  '.repeat(depth)}${marker} ${block.text}`);
    } else {
      counters = [];
      lines.push(block.text);
    }
    previous = block;
  }
  return lines.join('');
}

function uniqueAnchors(blocks: Block[]): Anchor[] {
  const seen = new Set<string>();
  const anchors: Anchor[] = [];
  for (const { anchor } of blocks) {
    const key = `${anchor.block}:${anchor.page}`;
    if (!seen.has(key)) {
      seen.add(key);
      anchors.push(anchor);
    }
  }
  return anchors;
}

function firstTitle(blocks: Block[]): string | null {
  const first = blocks.find((block) => block.kind === 'heading' && block.level === 1);
  return first?.text ?? null;
}
