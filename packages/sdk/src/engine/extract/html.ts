import { Parser } from 'htmlparser2';
import { ExtractionError } from '../errors.js';
import type { Block, ExtractedDocument } from '../types.js';
import { checkDeadline } from './budget.js';

/** Deepest element nesting read; the parser slows down sharply past it. */
const MAX_DEPTH = 1000;
/** Characters parsed between two time-budget checks. */
const CHUNK_CHARS = 64 * 1024;

/** Elements whose content is not body text. */
const SKIPPED = new Set([
  'script',
  'style',
  'noscript',
  'template',
  'head',
  'nav',
  'footer',
  'header',
  'svg',
  'math',
]);

/** Elements that end the paragraph before them and start a new one. */
const PARAGRAPHS = new Set([
  'p',
  'div',
  'section',
  'article',
  'main',
  'aside',
  'blockquote',
  'pre',
  'address',
  'figure',
  'figcaption',
  'dl',
  'dt',
  'dd',
  'hr',
  'table',
  'caption',
  'form',
  'fieldset',
  'details',
  'summary',
]);

/** What a `<head>` holds; any other element ends an unclosed `<head>`, as in browsers. */
const HEAD_CONTENT = new Set([
  'title',
  'meta',
  'link',
  'style',
  'script',
  'noscript',
  'base',
  'template',
]);

const HEADINGS = new Set(['h1', 'h2', 'h3', 'h4', 'h5', 'h6']);
const BOLD = new Set(['b', 'strong']);

/** Text being gathered for the next block. */
interface Pending {
  text: string;
  /** Characters (not whitespace) inside `<b>`/`<strong>`, and outside. */
  boldChars: number;
  plainChars: number;
}

/** An open table row and the cell being read. */
interface Row {
  cells: string[];
  cell: string | null;
}

/**
 * Reads HTML into blocks: `h1`-`h6` headings, paragraphs (`p`, `div` and other block elements),
 * list items with their nesting depth and `ordered` (`ul`/`ol`/`li`), one table row per `tr`
 * (its `td`/`th` cells). Entities are decoded, whitespace collapsed, `<br>` read as a space.
 * Scripts, styles, templates, `head`, `nav`, `header` and `footer` are not body text. The title
 * is `<title>`, else the first `h1`.
 *
 * @throws {ExtractionError} `document_corrupt` when elements nest more than 1,000 deep, and
 *   `time_budget_exceeded` once `performance.now()` passes `deadline`.
 */
export function extractHtml(text: string, deadline = Number.POSITIVE_INFINITY): ExtractedDocument {
  const reader = new HtmlReader();
  const parser = new Parser(reader.handler(), { decodeEntities: true });
  const source = text.replace(/^\uFEFF/, '');
  for (let start = 0; start < source.length; start += CHUNK_CHARS) {
    checkDeadline(deadline);
    parser.write(source.slice(start, start + CHUNK_CHARS));
  }
  parser.end();
  return reader.document();
}

class HtmlReader {
  private readonly blocks: Block[] = [];
  private pending: Pending = emptyPending();
  private heading: { level: number; tag: string } | null = null;
  private paragraphTag: string | null = null;
  private readonly lists: boolean[] = [];
  private item: { level: number; ordered: boolean } | null = null;
  private readonly rows: Row[] = [];
  private readonly skipped: string[] = [];
  private boldDepth = 0;
  private depth = 0;
  private title: string | null = null;
  private inTitle = false;

  handler() {
    return {
      onopentag: (name: string) => this.open(name),
      onclosetag: (name: string) => this.close(name),
      ontext: (data: string) => this.text(data),
    };
  }

  document(): ExtractedDocument {
    this.flush();
    const title =
      this.title ??
      this.blocks.find((block) => block.kind === 'heading' && block.level === 1)?.text ??
      null;
    return { format: 'html', title, blocks: this.blocks, pageCount: null };
  }

  private open(name: string): void {
    this.depth += 1;
    if (this.depth > MAX_DEPTH) {
      throw new ExtractionError(
        'document_corrupt',
        `The HTML nests elements more than ${MAX_DEPTH} deep.`,
        {
          hint: 'Check the file: unclosed tags usually cause this. Save it again from its editor.',
        },
      );
    }
    if (this.skipped.length === 1 && this.skipped[0] === 'head' && !HEAD_CONTENT.has(name)) {
      this.skipped.pop();
    }
    if (name === 'title' && this.title === null && !this.skipped.includes('svg')) {
      this.inTitle = true;
    }
    if (SKIPPED.has(name)) this.skipped.push(name);
    if (this.skipped.length > 0) return;
    const row = this.rows.at(-1);
    if (name === 'tr') {
      this.flush();
      this.rows.push({ cells: [], cell: null });
    } else if ((name === 'td' || name === 'th') && row) {
      this.endCell(row);
      row.cell = '';
    } else if (row?.cell != null) {
      if (name === 'br' || PARAGRAPHS.has(name) || HEADINGS.has(name) || name === 'li') {
        row.cell += ' ';
      }
    } else if (HEADINGS.has(name)) {
      this.flush();
      this.heading = { level: Number(name.slice(1)), tag: name };
    } else if (name === 'ul' || name === 'ol') {
      this.flush();
      this.lists.push(name === 'ol');
    } else if (name === 'li') {
      this.flush();
      const depth = Math.max(this.lists.length - 1, 0);
      this.item = { level: depth, ordered: this.lists.at(-1) ?? false };
    } else if (PARAGRAPHS.has(name)) {
      this.flush();
      this.paragraphTag = name;
    } else if (name === 'br') {
      this.append(' ');
    }
    if (BOLD.has(name)) this.boldDepth += 1;
  }

  private close(name: string): void {
    this.depth -= 1;
    if (name === 'title') this.inTitle = false;
    if (SKIPPED.has(name)) {
      const index = this.skipped.lastIndexOf(name);
      if (index >= 0) this.skipped.splice(index, 1);
      return;
    }
    if (this.skipped.length > 0) return;
    if (BOLD.has(name)) this.boldDepth = Math.max(this.boldDepth - 1, 0);
    const row = this.rows.at(-1);
    if (name === 'tr' && row) {
      this.endCell(row);
      this.rows.pop();
      if (row.cells.some((cell) => cell !== '')) {
        this.push({
          kind: 'table-row',
          text: row.cells.join(' | '),
          cells: row.cells,
          style: 'tr',
        });
      }
    } else if ((name === 'td' || name === 'th') && row) {
      this.endCell(row);
    } else if (row?.cell != null) {
      return;
    } else if (name === 'ul' || name === 'ol') {
      this.flush();
      this.lists.pop();
    } else if (HEADINGS.has(name)) {
      this.flush();
      this.heading = null;
    } else if (name === 'li') {
      this.flush();
      this.item = null;
    } else if (PARAGRAPHS.has(name)) {
      this.flush();
    }
  }

  private text(data: string): void {
    if (this.inTitle) {
      this.title = collapse(`${this.title ?? ''} ${data}`) || null;
      return;
    }
    if (this.skipped.length > 0) return;
    const row = this.rows.at(-1);
    if (row?.cell != null) row.cell += data;
    else this.append(data);
  }

  private append(data: string): void {
    this.pending.text += data;
    const chars = data.replace(/\s/g, '').length;
    if (this.boldDepth > 0) this.pending.boldChars += chars;
    else this.pending.plainChars += chars;
  }

  private endCell(row: Row): void {
    if (row.cell !== null) row.cells.push(collapse(row.cell));
    row.cell = null;
  }

  /**
   * Turns the gathered text into a block (heading, list item or paragraph). With no text
   * gathered, the open heading or list item stays open (`<li><p>text</p></li>`).
   */
  private flush(): void {
    const text = collapse(this.pending.text);
    const bold = this.pending.boldChars > 0 && this.pending.plainChars === 0;
    this.pending = emptyPending();
    if (text === '') return;
    const { heading, item, paragraphTag } = this;
    this.heading = null;
    this.item = null;
    this.paragraphTag = null;
    if (heading) {
      this.push({ kind: 'heading', level: heading.level, text, style: heading.tag });
    } else if (item) {
      this.push({ kind: 'list-item', level: item.level, ordered: item.ordered, text, style: 'li' });
    } else {
      this.push({
        kind: 'paragraph',
        text,
        bold,
        ...(paragraphTag ? { style: paragraphTag } : {}),
      });
    }
  }

  private push(block: Omit<Block, 'anchor'>): void {
    this.blocks.push({ ...block, anchor: { block: this.blocks.length, page: null } });
  }
}

function emptyPending(): Pending {
  return { text: '', boldChars: 0, plainChars: 0 };
}

function collapse(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
