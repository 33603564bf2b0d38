import { HiddenContentTracker, RUN_CHARACTERS } from '../extract/docx-text.js';
import { attribute, NAMESPACE_URIS, NS, parseXml, type XmlElement } from '../extract/xml.js';

/** A run (`w:r`) of a paragraph, with offsets into the document part's text. */
export interface RunLayout {
  /** Offset of `<w:r`. */
  start: number;
  /** Offset just past `</w:r>`. */
  end: number;
  /** The run's start tag, as written. */
  openTag: string;
  /** Its qualified name, for a matching end tag. */
  name: string;
  /** Its `w:rPr` element as written, or ''. */
  properties: string;
  /** Its text (tabs and breaks as spaces). */
  text: string;
  /** The qualified name of its `w:t`, for runs rebuilt around a split. */
  textName: string;
  /** Whether it holds nothing but optional properties and one `w:t`, so it can be split. */
  splittable: boolean;
}

/** Where a paragraph (`w:p`) is in the document part's text. */
export interface ParagraphLayout {
  ordinal: number;
  /** Offset of `<w:p`. */
  start: number;
  /** Offset just past its start tag (the whole element when self-closing). */
  openEnd: number;
  /** Whether it was written `<w:p/>`. */
  selfClosing: boolean;
  /** Offset where its content may begin: past `w:pPr` when present, else `openEnd`. */
  contentStart: number;
  /** Offset of `</w:p>` (equal to `openEnd` when self-closing). */
  contentEnd: number;
  /** Its qualified name. */
  name: string;
  /** Its runs with visible text, in order (filled only for requested paragraphs). */
  runs: RunLayout[];
  /** Its element, for namespace bindings. */
  element: XmlElement;
}

/** What a scan of the main document part finds. */
export interface DocumentLayout {
  /** The requested paragraphs by ordinal (those that exist). */
  paragraphs: Map<number, ParagraphLayout>;
  /** The last paragraph of the part, if any. */
  last: ParagraphLayout | null;
  /** The highest numeric `w:id` of any WordprocessingML element (-1 when none). */
  maxId: number;
  /** The WordprocessingML namespace URI the part uses (Transitional or Strict). */
  wordNamespace: string;
  /** The `w:body` element and the offset just past its start tag (null without a body). */
  body: { element: XmlElement; contentStart: number } | null;
}

interface OpenParagraph {
  layout: ParagraphLayout;
  depth: number;
  wanted: boolean;
  run: (RunLayout & { depth: number; propertiesStart: number; texts: number }) | null;
}

/**
 * Scans the main document part for the paragraphs with the given ordinals (counting every
 * `w:p` in document order, as extraction does), recording offsets for inserting comment
 * markers, and the highest `w:id` in use.
 */
export function scanDocumentLayout(
  xml: string,
  part: string,
  ordinals: ReadonlySet<number>,
): DocumentLayout {
  const paragraphs = new Map<number, ParagraphLayout>();
  const open: OpenParagraph[] = [];
  const hidden = new HiddenContentTracker();
  let last = null as ParagraphLayout | null;
  let count = 0;
  let depth = 0;
  let maxId = -1;
  let inText = false;
  let wordNamespace = '';
  let body = null as DocumentLayout['body'];
  const tagStart = (end: number) => xml.lastIndexOf('<', end - 1);
  parseXml(xml, part, {
    open(element, end) {
      depth++;
      const isHidden = hidden.enter(element);
      if (element.ns !== NS.w) return;
      if (wordNamespace === '') wordNamespace = element.scope[prefixOf(element.name)] ?? '';
      const id = Number.parseInt(attribute(element, NS.w, 'id') ?? '', 10);
      if (id > maxId) maxId = id;
      if (element.local === 'body' && !body && !element.selfClosing) {
        body = { element, contentStart: end };
      }
      if (element.local === 'p') {
        const ordinal = count++;
        const layout: ParagraphLayout = {
          ordinal,
          start: tagStart(end),
          openEnd: end,
          selfClosing: element.selfClosing,
          contentStart: end,
          contentEnd: end,
          name: element.name,
          runs: [],
          element,
        };
        open.push({ layout, depth, wanted: ordinals.has(ordinal), run: null });
        return;
      }
      const paragraph = open[open.length - 1];
      if (isHidden || !paragraph?.wanted) return;
      const run = paragraph.run;
      if (element.local === 'r' && !run) {
        const start = tagStart(end);
        paragraph.run = {
          start,
          end,
          openTag: xml.slice(start, end),
          name: element.name,
          properties: '',
          text: '',
          textName: '',
          splittable: !element.selfClosing,
          depth,
          propertiesStart: -1,
          texts: 0,
        };
      } else if (run && depth === run.depth + 1) {
        if (element.local === 'rPr') {
          run.propertiesStart = tagStart(end);
        } else if (element.local === 't') {
          inText = true;
          run.textName = element.name;
          if (++run.texts > 1) run.splittable = false;
        } else {
          run.splittable = false;
          run.text += RUN_CHARACTERS[element.local] ?? '';
        }
      }
    },
    close(element, end) {
      const wasHidden = hidden.leave(element);
      depth--;
      if (element.ns !== NS.w) return;
      const paragraph = open[open.length - 1];
      if (element.local === 'p' && paragraph) {
        open.pop();
        const layout = paragraph.layout;
        if (!layout.selfClosing) layout.contentEnd = tagStart(end);
        if (paragraph.wanted) paragraphs.set(layout.ordinal, layout);
        last = layout;
        return;
      }
      if (!paragraph || wasHidden) return;
      if (element.local === 'pPr' && depth === paragraph.depth) paragraph.layout.contentStart = end;
      const run = paragraph.run;
      if (!run) return;
      if (element.local === 'r' && depth === run.depth - 1) {
        paragraph.run = null;
        run.end = end;
        if (run.text !== '') paragraph.layout.runs.push(run);
      } else if (element.local === 'rPr' && depth === run.depth) {
        run.properties = xml.slice(run.propertiesStart, end);
      } else if (element.local === 't') {
        inText = false;
      }
    },
    text(text) {
      const run = open[open.length - 1]?.run;
      if (inText && run) run.text += text;
    },
  });
  return {
    paragraphs,
    last,
    maxId,
    wordNamespace: wordNamespace || NAMESPACE_URIS.wordTransitional,
    body,
  };
}

function prefixOf(name: string): string {
  const colon = name.indexOf(':');
  return colon < 0 ? '' : name.slice(0, colon);
}
