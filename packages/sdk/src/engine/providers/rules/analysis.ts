import type { Section } from '../../../schema/index.js';
import type { ReviewableDocument } from '../../types.js';
import { IMPACT_WORDS, STATUS } from './cues.js';
import { cueWeight, headingItems, type ItemKey } from './items.js';
import { hasQuantity } from './quantity.js';
import { entries, paragraphs, trimSpan, wordCount } from './text.js';
import { hasMoment } from './time.js';

/**
 * A stretch of a section about given items: the section under its heading, or a paragraph with
 * a run-in label ("Impact. No injuries...", "Actions:") and, when the label stands alone, what
 * follows it up to the next label.
 */
export interface Region {
  /** The items its heading or label names. */
  items: ItemKey[];
  /** Its text, an exact substring of the section text. */
  text: string;
  /** Whether it has content beyond a placeholder (`TBD`, `N/A`, `None`). */
  substantive: boolean;
}

/** What the rules know about one section. */
export interface SectionInfo {
  /** The section. */
  section: Section;
  /** The items its heading names (none for the document title or a heading-free section). */
  items: ItemKey[];
  /** Its regions, in order; the first holds the text under the heading itself. */
  regions: Region[];
}

/** How an item was found in the document. */
export interface Presence {
  /** `heading`: a section or label for it; `content`: its content elsewhere; `none`: missing. */
  found: 'heading' | 'content' | 'none';
  /** A section titled for the item but with no content, when there is one. */
  emptySection: number | null;
}

/** What the rules know about a whole document, computed once per document. */
export interface DocumentAnalysis {
  /** The document. */
  document: ReviewableDocument;
  /** Per section, in order. */
  sections: SectionInfo[];
  /** All section texts (and headings), joined. */
  text: string;
  /**
   * The text content cues are looked for in: in a document organised under item headings, the
   * regions that belong to no item (an item's content inside another item's section does not
   * count); otherwise all section texts.
   */
  cueText: string;
  /** Whether and how `key` is present. */
  presence(key: ItemKey): Presence;
  /** A value computed once per document and kept (for document-wide tables). */
  memo<T>(name: string, compute: () => T): T;
}

const PLACEHOLDER_BODY =
  /^(?:n\/?a|none|nil|tbd|tbc|todo|pending|-+|\?+|to be (?:confirmed|determined|added|completed|written))\.?$/i;

/** How many item headings make a document "organised under item headings". */
const STRUCTURED = 8;

/** A run-in label: up to five words ending in `.` or `:` at the start of a paragraph. */
const RUN_IN = /^(?:\d+(?:\.\d+)*\.?\s+)?([A-Z][A-Za-z'’()&/ -]{1,48}?)[.:](?=\s|$)/;

const analyses = new WeakMap<ReviewableDocument, DocumentAnalysis>();

/** The analysis of a document, computed on first use and shared by every rule. */
export function analyse(document: ReviewableDocument): DocumentAnalysis {
  let analysis = analyses.get(document);
  if (analysis === undefined) {
    analysis = build(document);
    analyses.set(document, analysis);
  }
  return analysis;
}

/** The substantive regions of a section about `key`. */
export function regionsFor(info: SectionInfo, key: ItemKey): Region[] {
  return info.regions.filter((region) => region.substantive && region.items.includes(key));
}

function build(document: ReviewableDocument): DocumentAnalysis {
  const sections = document.sections.map((section) => describeSection(section, document.title));
  const text = document.sections
    .map((section) => `${section.heading ?? ''}\n${section.text}`)
    .join('\n\n');
  const regions = sections.flatMap((info) => info.regions);
  const structured = regions.filter((region) => region.items.length > 0).length >= STRUCTURED;
  const cueText = (structured ? regions.filter((region) => region.items.length === 0) : regions)
    .map((region) => region.text)
    .join('\n\n');
  const presences = new Map<ItemKey, Presence>();
  const memos = new Map<string, unknown>();
  const analysis: DocumentAnalysis = {
    document,
    sections,
    text,
    cueText,
    presence(key) {
      let presence = presences.get(key);
      if (presence === undefined) {
        presence = findItem(key, analysis);
        presences.set(key, presence);
      }
      return presence;
    },
    memo<T>(name: string, compute: () => T): T {
      if (!memos.has(name)) memos.set(name, compute());
      return memos.get(name) as T;
    },
  };
  return analysis;
}

/** What the rules know about one section, on its own. */
export function describeSection(section: Section, title: string | null): SectionInfo {
  const isTitle = section.heading !== null && section.heading === title;
  const items = section.heading === null || isTitle ? [] : headingItems(section.heading);
  return { section, items, regions: splitRegions(section.text, items) };
}

function splitRegions(text: string, headingItemKeys: ItemKey[]): Region[] {
  const bounds = [{ items: headingItemKeys, start: 0, end: text.length, label: 0 }];
  for (const paragraph of paragraphs(text)) {
    const label = runInLabel(paragraph.text);
    if (label === null) continue;
    const previous = bounds[bounds.length - 1];
    if (previous !== undefined) previous.end = Math.min(previous.end, paragraph.start);
    const inline = label.length < paragraph.text.length - 1;
    const end = inline ? paragraph.end : text.length;
    bounds.push({
      items: headingItems(label),
      start: paragraph.start,
      end,
      label: label.length + 1,
    });
    if (inline) bounds.push({ items: [], start: paragraph.end, end: text.length, label: 0 });
  }
  return bounds
    .map(({ items, start, end, label }) => ({ items, label, span: trimSpan(text, start, end) }))
    .filter(({ span }, i) => i === 0 || span.text !== '')
    .map(({ items, label, span }) => ({
      items,
      text: span.text,
      substantive: substantive(span.text.slice(label)),
    }));
}

/** The label of a paragraph that opens with one naming an item ("Impact.", "Root cause:"). */
function runInLabel(paragraph: string): string | null {
  const label = RUN_IN.exec(paragraph)?.[1];
  if (label === undefined || wordCount(label) > 5) return null;
  if (/\b(?:is|are|was|were|has|have|had|will|we|our)\b/i.test(label)) return null;
  return headingItems(label).length > 0 ? label : null;
}

/** Whether a region's text (without its label) says more than a placeholder. */
function substantive(text: string): boolean {
  const body = text.trim();
  return wordCount(body) >= 2 && !PLACEHOLDER_BODY.test(body);
}

function findItem(key: ItemKey, analysis: DocumentAnalysis): Presence {
  const regions = analysis.sections.flatMap((info) =>
    info.regions.filter((region) => region.items.includes(key)).map((region) => ({ info, region })),
  );
  if (regions.some(({ region }) => region.substantive))
    return { found: 'heading', emptySection: null };
  const emptySection = regions[0]?.info.section.index ?? null;
  const present = contentPresent(key, analysis);
  return { found: present ? 'content' : 'none', emptySection };
}

function contentPresent(key: ItemKey, analysis: DocumentAnalysis): boolean {
  if (key === 'summary') return opensWithSummary(analysis);
  if (key === 'timeline') return hasTimelineContent(analysis);
  return cueWeight(key, analysis.cueText) >= 2;
}

/**
 * Whether the opening (the first paragraph of 20 words or more, so not a greeting or a status
 * line) says what happened, its impact and where things stand.
 */
function opensWithSummary(analysis: DocumentAnalysis): boolean {
  const opening =
    analysis.sections
      .flatMap((info) => paragraphs(info.section.text))
      .find((paragraph) => wordCount(paragraph.text) >= 20)?.text ?? '';
  const impact = hasQuantity(opening) || IMPACT_WORDS.test(opening);
  return impact && STATUS.test(opening);
}

/** Whether some section reads as a timeline: three or more entries that start with a time. */
function hasTimelineContent(analysis: DocumentAnalysis): boolean {
  return analysis.sections.some((info) => {
    const timed = entries(info.section.text).filter(
      (entry) => !entry.header && hasMoment((entry.cells[0] ?? entry).text.slice(0, 40)),
    );
    if (timed.length >= 3) return true;
    return paragraphs(info.section.text).some(
      (paragraph) => (paragraph.text.match(/\b(?:[01]?\d|2[0-3]):[0-5]\d\b/g) ?? []).length >= 3,
    );
  });
}
