import { Lexer, type Token, type Tokens } from 'marked';
import { ExtractionError } from '../errors.js';
import type { Block, ExtractedDocument } from '../types.js';

/** Deepest list or quote nesting read; deeper input is refused (the parser slows down sharply). */
export const MAX_MARKDOWN_NESTING = 64;

/**
 * Reads Markdown (CommonMark + GitHub tables) into blocks: `#` headings, paragraphs, list items
 * with their nesting depth, table rows (the header row included), block quotes as paragraphs.
 * Code blocks and raw HTML are kept as paragraphs of their text. The title is the first
 * level-1 heading, when the document has one.
 *
 * @throws {ExtractionError} `document_corrupt` for lists or quotes nested deeper than
 *   {@link MAX_MARKDOWN_NESTING} levels.
 */
export function extractMarkdown(text: string): ExtractedDocument {
  assertShallow(text);
  const blocks: Block[] = [];
  const add = (block: Omit<Block, 'anchor'>) => {
    if (block.text !== '') blocks.push({ ...block, anchor: { block: blocks.length, page: null } });
  };
  walk(Lexer.lex(text.replace(/^\uFEFF/, '')), add, 0);
  const title = blocks.find((block) => block.kind === 'heading' && block.level === 1)?.text ?? null;
  return { format: 'markdown', title, blocks, pageCount: null };
}

type Add = (block: Omit<Block, 'anchor'>) => void;

/** Refuses pathological nesting before parsing: a quote depth or an indentation per level. */
function assertShallow(text: string): void {
  for (const line of text.split('\n')) {
    const quotes = /^(?:\s*>)*/.exec(line)?.[0].split('>').length ?? 1;
    const indent = /^[ \t]*/.exec(line)?.[0].replace(/\t/g, '  ').length ?? 0;
    if (quotes - 1 > MAX_MARKDOWN_NESTING || indent > MAX_MARKDOWN_NESTING * 4) {
      throw new ExtractionError(
        'document_corrupt',
        `The Markdown is nested more than ${MAX_MARKDOWN_NESTING} levels deep.`,
        { hint: 'Flatten the lists or quotes, or convert the document to .docx.' },
      );
    }
  }
}

function walk(tokens: Token[], add: Add, listDepth: number): void {
  for (const token of tokens) {
    switch (token.type) {
      case 'heading':
        add({ kind: 'heading', level: token.depth, text: inline(token.tokens, token.text) });
        break;
      case 'paragraph':
      case 'text': {
        const parts = (token as Tokens.Paragraph).tokens;
        add({ kind: 'paragraph', text: inline(parts, token.text), bold: isAllBold(parts) });
        break;
      }
      case 'list':
        for (const item of (token as Tokens.List).items)
          listItem(item, token.ordered, add, listDepth);
        break;
      case 'table': {
        const table = token as Tokens.Table;
        for (const row of [table.header, ...table.rows]) {
          const cells = row.map((cell) => inline(cell.tokens, cell.text));
          add({ kind: 'table-row', text: cells.join(' | '), cells });
        }
        break;
      }
      case 'blockquote':
        walk((token as Tokens.Blockquote).tokens, add, listDepth);
        break;
      case 'code':
      case 'html':
        add({ kind: 'paragraph', text: collapse(token.text) });
        break;
      default:
        break;
    }
  }
}

function listItem(item: Tokens.ListItem, ordered: boolean, add: Add, depth: number): void {
  const own = item.tokens.filter((token) => token.type !== 'list');
  const text = own
    .map((token) => ('tokens' in token && token.tokens ? inline(token.tokens, '') : ''))
    .join(' ');
  add({ kind: 'list-item', level: depth, ordered, text: collapse(text) });
  for (const nested of item.tokens) {
    if (nested.type === 'list') {
      for (const child of (nested as Tokens.List).items) {
        listItem(child, nested.ordered, add, depth + 1);
      }
    }
  }
}

/** Plain text of inline tokens: emphasis, links and code reduced to their text. */
function inline(tokens: Token[] | undefined, fallback: string): string {
  if (!tokens) return collapse(fallback);
  return collapse(tokens.map(inlineText).join(''));
}

function inlineText(token: Token): string {
  if (token.type === 'br') return ' ';
  if (token.type === 'image') return token.text;
  if ('tokens' in token && token.tokens) return token.tokens.map(inlineText).join('');
  if (token.type === 'escape' || token.type === 'codespan' || token.type === 'text') {
    return decodeEntities(token.text);
  }
  return 'text' in token && typeof token.text === 'string' ? decodeEntities(token.text) : '';
}

function isAllBold(tokens: Token[] | undefined): boolean {
  const meaningful = (tokens ?? []).filter((token) => token.raw.trim() !== '');
  return meaningful.length > 0 && meaningful.every((token) => token.type === 'strong');
}

const ENTITIES: Record<string, string> = {
  '&amp;': '&',
  '&lt;': '<',
  '&gt;': '>',
  '&quot;': '"',
  '&#39;': "'",
};

function decodeEntities(text: string): string {
  return text.replace(/&(?:amp|lt|gt|quot|#39);/g, (entity) => ENTITIES[entity] ?? entity);
}

function collapse(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
