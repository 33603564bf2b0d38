import { collapseWhitespace } from '../extract/docx-text.js';
import {
  NAMESPACE_URIS,
  type NamespaceScope,
  NS,
  namespaceId,
  type XmlElement,
} from '../extract/xml.js';
import type { ParagraphLayout, RunLayout } from './docx-paragraph-layout.js';
import { escapeXml, type TextEdit } from './text-edits.js';

/**
 * Builds comment markers in the document's own WordprocessingML prefix, declaring the namespace
 * on each inserted element when the document binds it to no prefix.
 */
export class CommentMarkup {
  private readonly prefix: string;
  private readonly declaration: string;

  /** Markup for insertion inside `element` (a `w:p`, or `w:body`). */
  constructor(element: XmlElement) {
    const ownPrefix = element.name.includes(':') ? element.name.split(':')[0] : undefined;
    const prefix = ownPrefix ?? wordPrefixIn(element.scope);
    this.prefix = prefix ?? 'w';
    const uri = element.scope[ownPrefix ?? ''] ?? NAMESPACE_URIS.wordTransitional;
    this.declaration = prefix === undefined ? ` xmlns:w="${uri}"` : '';
  }

  /** A new paragraph around `content`. */
  paragraph(content: string): string {
    return `<${this.prefix}:p${this.declaration}>${content}</${this.prefix}:p>`;
  }

  /** `<w:commentRangeStart w:id="N"/>` */
  rangeStart(id: number): string {
    return `<${this.prefix}:commentRangeStart ${this.prefix}:id="${id}"${this.declaration}/>`;
  }

  /** `<w:commentRangeEnd w:id="N"/>` followed by the run holding the comment reference. */
  rangeEndAndReference(id: number): string {
    const p = this.prefix;
    return (
      `<${p}:commentRangeEnd ${p}:id="${id}"${this.declaration}/>` +
      `<${p}:r${this.declaration}><${p}:commentReference ${p}:id="${id}"/></${p}:r>`
    );
  }
}

function wordPrefixIn(scope: NamespaceScope): string | undefined {
  for (const prefix in scope) {
    const uri = scope[prefix];
    if (prefix !== '' && uri !== undefined && namespaceId(uri) === NS.w) return prefix;
  }
  return undefined;
}

/** Runs already split for a comment, so two comments never rewrite the same run. */
export type ClaimedRuns = Set<RunLayout>;

/**
 * The edits that anchor comment `id` in `paragraph`: on the quoted text when a single run holds it
 * (splitting that run so the range covers exactly the quote), else on the runs the quote spans,
 * else on the whole paragraph. `nextOrder` numbers insertions so markers keep their order.
 */
export function anchorComment(
  paragraph: ParagraphLayout,
  id: number,
  quote: string | null,
  markup: CommentMarkup,
  claimed: ClaimedRuns,
  nextOrder: () => number,
): TextEdit[] {
  const wanted = quote === null ? '' : collapseWhitespace(quote);
  if (wanted !== '') {
    const run = paragraph.runs.find(
      (candidate) =>
        candidate.splittable && !claimed.has(candidate) && candidate.text.includes(wanted),
    );
    if (run) {
      claimed.add(run);
      return [splitRun(run, wanted, id, markup, nextOrder())];
    }
    const span = findSpan(paragraph.runs, wanted);
    if (span) {
      return [
        insertion(span.first.start, markup.rangeStart(id), nextOrder()),
        insertion(span.last.end, markup.rangeEndAndReference(id), nextOrder()),
      ];
    }
  }
  return [
    insertion(paragraph.contentStart, markup.rangeStart(id), nextOrder()),
    insertion(paragraph.contentEnd, markup.rangeEndAndReference(id), nextOrder()),
  ];
}

/**
 * Edits turning a self-closing `<w:p/>` into `<w:p></w:p>` so markers can go inside; the end
 * tag is ordered after every marker inserted at the same offset.
 */
export function openSelfClosingParagraph(paragraph: ParagraphLayout): TextEdit[] {
  const slash = paragraph.openEnd - 2;
  return [
    { start: slash, end: paragraph.openEnd, text: '>', order: 0 },
    insertion(paragraph.openEnd, `</${paragraph.name}>`, Number.MAX_SAFE_INTEGER),
  ];
}

function insertion(at: number, text: string, order: number): TextEdit {
  return { start: at, end: at, text, order };
}

function splitRun(
  run: RunLayout,
  quote: string,
  id: number,
  markup: CommentMarkup,
  order: number,
): TextEdit {
  const at = run.text.indexOf(quote);
  const piece = (text: string) =>
    text === ''
      ? ''
      : `${run.openTag}${run.properties}<${run.textName} xml:space="preserve">${escapeXml(text)}</${run.textName}></${run.name}>`;
  const text =
    piece(run.text.slice(0, at)) +
    markup.rangeStart(id) +
    piece(quote) +
    markup.rangeEndAndReference(id) +
    piece(run.text.slice(at + quote.length));
  return { start: run.start, end: run.end, text, order };
}

/** The first and last runs covering `quote` in the paragraph's text (whitespace-insensitive). */
function findSpan(
  runs: readonly RunLayout[],
  quote: string,
): { first: RunLayout; last: RunLayout } | null {
  let text = '';
  const owners: number[] = [];
  runs.forEach((run, index) => {
    for (let at = 0; at < run.text.length; at++) {
      const character = run.text.charAt(at);
      const space = /\s/.test(character);
      if (space && (text === '' || text.endsWith(' '))) continue;
      text += space ? ' ' : character;
      owners.push(index);
    }
  });
  const at = text.indexOf(quote);
  if (at < 0) return null;
  const first = runs[owners[at] as number];
  const last = runs[owners[at + quote.length - 1] as number];
  return first && last ? { first, last } : null;
}
