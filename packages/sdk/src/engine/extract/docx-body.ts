import type { Block } from '../types.js';
import type { Numbering } from './docx-numbering.js';
import { intValue, onOff, type StyleSheet } from './docx-styles.js';
import { collapseWhitespace, HiddenContentTracker, RUN_CHARACTERS } from './docx-text.js';
import { attribute, NS, parseXml, type XmlElement, type XmlVisitor } from './xml.js';

/** A footnote or endnote reference in the body, and the paragraph (`w:p` ordinal) holding it. */
export interface NoteReference {
  /** Which part the note is in. */
  kind: 'footnote' | 'endnote';
  /** The note's `w:id`. */
  id: string;
  /** The citing paragraph's `w:p` ordinal. */
  ordinal: number;
}

/** What the main document part yields. */
export interface DocumentBody {
  /** Body blocks in document order (no notes yet). */
  blocks: Block[];
  /** Text of the first `Title`-style paragraph, if any. */
  titleParagraph: string | null;
  /** Note references in the order they appear. */
  noteReferences: NoteReference[];
}

interface RunState {
  bold: boolean | null;
  styleId: string | null;
  inProps: boolean;
  hasText: boolean;
}

interface ParagraphState {
  ordinal: number;
  /** Index reserved in the block list so text-box paragraphs keep document order; -1 in tables. */
  slot: number;
  parts: string[];
  styleId: string | null;
  numId: string | null;
  ilvl: number | null;
  outlineLevel: number | null;
  inProps: boolean;
  run: RunState | null;
  textRuns: number;
  boldRuns: number;
}

interface RowState {
  cells: string[][];
  anchor: number | null;
}

/**
 * Reads the main document part (`word/document.xml`) into blocks: paragraphs, headings, list
 * items and table rows, with tracked changes accepted. Every `w:p` is counted for anchors,
 * including those whose text is hidden (deleted, or an unused compatibility branch).
 */
export function readDocumentBody(
  xml: string,
  part: string,
  styles: StyleSheet,
  numbering: Numbering,
  deadline?: number,
): DocumentBody {
  const reader = new BodyReader(styles, numbering);
  parseXml(xml, part, reader, deadline);
  return {
    blocks: reader.blocks.filter((block): block is Block => block !== null),
    titleParagraph: reader.titleParagraph,
    noteReferences: reader.noteReferences,
  };
}

class BodyReader implements XmlVisitor {
  readonly blocks: (Block | null)[] = [];
  readonly noteReferences: NoteReference[] = [];
  titleParagraph: string | null = null;
  private ordinal = 0;
  private inText = false;
  private readonly paragraphs: ParagraphState[] = [];
  /** Open tables, outermost first; only the outermost one's rows become blocks. */
  private readonly tables: { row: RowState | null }[] = [];
  private readonly hidden = new HiddenContentTracker();
  private readonly styles: StyleSheet;
  private readonly numbering: Numbering;

  constructor(styles: StyleSheet, numbering: Numbering) {
    this.styles = styles;
    this.numbering = numbering;
  }

  open(element: XmlElement): void {
    const hidden = this.hidden.enter(element);
    if (element.ns !== NS.w) return;
    if (hidden) {
      if (element.local === 'p') this.ordinal++;
      return;
    }
    const paragraph = this.paragraphs[this.paragraphs.length - 1];
    const run = paragraph?.run;
    switch (element.local) {
      case 'p':
        this.openParagraph();
        return;
      case 'pPr':
        if (paragraph && !run) paragraph.inProps = true;
        return;
      case 'pStyle':
        if (paragraph?.inProps) paragraph.styleId = attribute(element, NS.w, 'val') ?? null;
        return;
      case 'numId':
        if (paragraph?.inProps) paragraph.numId = attribute(element, NS.w, 'val') ?? null;
        return;
      case 'ilvl':
        if (paragraph?.inProps) paragraph.ilvl = intValue(element);
        return;
      case 'outlineLvl':
        if (paragraph?.inProps) paragraph.outlineLevel = intValue(element);
        return;
      case 'r':
        if (paragraph) {
          paragraph.run = { bold: null, styleId: null, inProps: false, hasText: false };
        }
        return;
      case 'rPr':
        if (run) run.inProps = true;
        return;
      case 'rStyle':
        if (run?.inProps) run.styleId = attribute(element, NS.w, 'val') ?? null;
        return;
      case 'b':
        if (run?.inProps) run.bold = onOff(element);
        return;
      case 't':
        if (run) this.inText = true;
        return;
      case 'tbl':
        this.tables.push({ row: null });
        return;
      case 'tr':
        if (this.tables.length === 1)
          (this.tables[0] as { row: RowState | null }).row = { cells: [], anchor: null };
        return;
      case 'tc':
        if (this.tables.length === 1) this.tables[0]?.row?.cells.push([]);
        return;
      case 'footnoteReference':
      case 'endnoteReference':
        if (paragraph) {
          this.noteReferences.push({
            kind: element.local === 'footnoteReference' ? 'footnote' : 'endnote',
            id: attribute(element, NS.w, 'id') ?? '',
            ordinal: paragraph.ordinal,
          });
        }
        return;
      default: {
        const character = RUN_CHARACTERS[element.local];
        if (character !== undefined && run && !run.inProps) paragraph.parts.push(character);
      }
    }
  }

  close(element: XmlElement): void {
    if (this.hidden.leave(element) || element.ns !== NS.w) return;
    const paragraph = this.paragraphs[this.paragraphs.length - 1];
    switch (element.local) {
      case 'p':
        this.closeParagraph();
        return;
      case 'pPr':
        if (paragraph) paragraph.inProps = false;
        return;
      case 'r':
        if (paragraph) this.closeRun(paragraph);
        return;
      case 'rPr':
        if (paragraph?.run) paragraph.run.inProps = false;
        return;
      case 't':
        this.inText = false;
        return;
      case 'tbl':
        this.tables.pop();
        return;
      case 'tr':
        if (this.tables.length === 1) this.closeRow();
        return;
    }
  }

  text(text: string): void {
    if (!this.inText) return;
    const paragraph = this.paragraphs[this.paragraphs.length - 1];
    if (!paragraph?.run) return;
    paragraph.parts.push(text);
    if (!paragraph.run.hasText && /\S/.test(text)) paragraph.run.hasText = true;
  }

  private openParagraph(): void {
    const ordinal = this.ordinal++;
    const row = this.tables[0]?.row;
    if (row && row.anchor === null) row.anchor = ordinal;
    this.paragraphs.push({
      ordinal,
      slot: this.tables.length === 0 ? this.blocks.push(null) - 1 : -1,
      parts: [],
      styleId: null,
      numId: null,
      ilvl: null,
      outlineLevel: null,
      inProps: false,
      run: null,
      textRuns: 0,
      boldRuns: 0,
    });
  }

  private closeRun(paragraph: ParagraphState): void {
    const run = paragraph.run;
    if (!run) return;
    paragraph.run = null;
    if (!run.hasText) return;
    paragraph.textRuns++;
    const bold =
      run.bold ??
      this.styles.runBold(run.styleId) ??
      this.styles.paragraph(paragraph.styleId)?.bold ??
      false;
    if (bold) paragraph.boldRuns++;
  }

  private closeParagraph(): void {
    const paragraph = this.paragraphs.pop();
    if (!paragraph) return;
    const text = collapseWhitespace(paragraph.parts.join(''));
    if (this.tables.length > 0) {
      const cells = this.tables[0]?.row?.cells;
      if (text !== '') cells?.[cells.length - 1]?.push(text);
      return;
    }
    if (text !== '') this.blocks[paragraph.slot] = this.toBlock(paragraph, text);
  }

  private closeRow(): void {
    const table = this.tables[0];
    const row = table?.row;
    if (!table || !row) return;
    table.row = null;
    const cells = row.cells.map((parts) => parts.join(' '));
    if (cells.every((cell) => cell === '')) return;
    this.blocks.push({
      kind: 'table-row',
      text: cells.join(' | '),
      cells,
      anchor: { block: row.anchor ?? this.ordinal, page: null },
    });
  }

  private toBlock(paragraph: ParagraphState, text: string): Block {
    const style = this.styles.paragraph(paragraph.styleId);
    const block: Block = {
      kind: 'paragraph',
      text,
      anchor: { block: paragraph.ordinal, page: null },
    };
    const styleName = style?.name ?? paragraph.styleId;
    if (styleName) block.style = styleName;
    if (paragraph.textRuns > 0 && paragraph.boldRuns === paragraph.textRuns) block.bold = true;
    const outline = paragraph.outlineLevel;
    const headingLevel =
      outline !== null ? (outline < 9 ? outline + 1 : null) : (style?.headingLevel ?? null);
    const title = outline === null && style?.title === true;
    if (title && this.titleParagraph === null) this.titleParagraph = text;
    if (headingLevel !== null || title) {
      block.kind = 'heading';
      block.level = headingLevel ?? 1;
      return block;
    }
    const numId = paragraph.numId ?? style?.numId ?? null;
    const level = paragraph.ilvl ?? style?.ilvl ?? 0;
    const ordered = numId === null ? null : this.numbering.isOrdered(numId, level);
    if (ordered !== null) {
      block.kind = 'list-item';
      block.level = level;
      block.ordered = ordered;
    }
    return block;
  }
}

/**
 * Reads a footnotes or endnotes part: the text of each real note (separators skipped) by id,
 * its paragraphs joined by a space.
 */
export function readNotes(xml: string, part: string, deadline?: number): Map<string, string> {
  const notes = new Map<string, string>();
  const hidden = new HiddenContentTracker();
  let note: { id: string; parts: string[] } | null = null;
  let runDepth = 0;
  let inText = false;
  parseXml(
    xml,
    part,
    {
      open(element) {
        if (hidden.enter(element) || element.ns !== NS.w) return;
        const local = element.local;
        if (local === 'footnote' || local === 'endnote') {
          const type = attribute(element, NS.w, 'type') ?? 'normal';
          note = type === 'normal' ? { id: attribute(element, NS.w, 'id') ?? '', parts: [] } : null;
        } else if (local === 'r') {
          runDepth++;
        } else if (local === 't') {
          inText = runDepth > 0;
        } else if (runDepth > 0 && RUN_CHARACTERS[local] !== undefined) {
          note?.parts.push(RUN_CHARACTERS[local] as string);
        }
      },
      close(element) {
        if (hidden.leave(element) || element.ns !== NS.w) return;
        const local = element.local;
        if ((local === 'footnote' || local === 'endnote') && note) {
          const text = collapseWhitespace(note.parts.join(''));
          if (text !== '') notes.set(note.id, text);
          note = null;
        } else if (local === 'r') {
          runDepth--;
        } else if (local === 't') {
          inText = false;
        } else if (local === 'p') {
          note?.parts.push(' ');
        }
      },
      text(text) {
        if (inText) note?.parts.push(text);
      },
    },
    deadline,
  );
  return notes;
}
