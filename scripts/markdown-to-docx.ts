/**
 * Converts a Markdown document into a Word .docx built from Word's own structures: `#` becomes
 * the Title style and the document's title property, `##` and `###` the Heading 1 and Heading 2
 * styles, lists real Word numbering (bullets or decimals, nested by level), pipe tables Word
 * tables, and **bold**, *italic* and `code` character formatting. Used to produce the .docx
 * versions of the sample documents in examples/documents.
 *
 * Usage: pnpm bench scripts/markdown-to-docx.ts <in.md> <out.docx>
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  AlignmentType,
  Document,
  HeadingLevel,
  type ILevelsOptions,
  LevelFormat,
  Packer,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
} from 'docx';
import type * as Marked from '../packages/sdk/node_modules/marked/lib/marked.js';

// marked is a dependency of @prism/sdk, not of the workspace root, so resolve it from there.
const sdkRequire = createRequire(resolve(import.meta.dirname, '../packages/sdk/package.json'));
const { Lexer }: typeof Marked = await import(pathToFileURL(sdkRequire.resolve('marked')).href);

const BULLET_LIST = 'bullet-list';
const NUMBERED_LIST = 'numbered-list';
const BULLET_SYMBOLS = ['•', '◦', '▪'];
/** Word's list indentation per nesting level, in twentieths of a point. */
const INDENT_STEP = 360;

/** Heading style per Markdown heading depth: `#` is the Title, `##` Heading 1 and so on. */
const HEADING_STYLES = [
  HeadingLevel.TITLE,
  HeadingLevel.HEADING_1,
  HeadingLevel.HEADING_2,
  HeadingLevel.HEADING_3,
  HeadingLevel.HEADING_4,
  HeadingLevel.HEADING_5,
];

type Block = Paragraph | Table;
type RunStyle = { bold?: boolean; italics?: boolean; strike?: boolean; code?: boolean };

/** One numbering definition with nine levels, indented one step further per level. */
function listLevels(format: 'bullet' | 'decimal'): ILevelsOptions[] {
  return Array.from({ length: 9 }, (_, level) => ({
    level,
    format: format === 'bullet' ? LevelFormat.BULLET : LevelFormat.DECIMAL,
    text:
      format === 'bullet'
        ? (BULLET_SYMBOLS[level % BULLET_SYMBOLS.length] ?? '•')
        : `%${level + 1}.`,
    alignment: AlignmentType.LEFT,
    style: { paragraph: { indent: { left: INDENT_STEP * (level + 2), hanging: INDENT_STEP } } },
  }));
}

/** Word runs for inline tokens, carrying bold, italic, strike-through and code down the tree. */
function runs(tokens: Marked.Token[] | undefined, text: string, style: RunStyle = {}): TextRun[] {
  if (!tokens) return [textRun(text, style)];
  return tokens.flatMap((token) => {
    const inline = token as Marked.MarkedToken;
    switch (inline.type) {
      case 'strong':
        return runs(inline.tokens, inline.text, { ...style, bold: true });
      case 'em':
        return runs(inline.tokens, inline.text, { ...style, italics: true });
      case 'del':
        return runs(inline.tokens, inline.text, { ...style, strike: true });
      case 'codespan':
        return [textRun(inline.text, { ...style, code: true })];
      case 'br':
        return [new TextRun({ text: '', break: 1 })];
      case 'link':
        return runs(inline.tokens, inline.text, style);
      case 'text':
        return runs(inline.tokens, inline.text, style);
      default:
        return [textRun('text' in inline ? String(inline.text) : inline.raw, style)];
    }
  });
}

function textRun(text: string, { bold, italics, strike, code }: RunStyle): TextRun {
  return new TextRun({ text, bold, italics, strike, font: code ? 'Consolas' : undefined });
}

/** Plain text of inline tokens, for the document's title property. */
function plainText(tokens: Marked.Token[]): string {
  return tokens
    .map((token) => {
      if ('tokens' in token && token.tokens) return plainText(token.tokens);
      return 'text' in token ? String(token.text) : '';
    })
    .join('');
}

/** Converts Markdown tokens into Word paragraphs and tables, numbering each list separately. */
class WordBuilder {
  private lists = 0;

  blocks(tokens: Marked.Token[], indentLevel = 0): Block[] {
    return tokens.flatMap((token) => this.block(token as Marked.MarkedToken, indentLevel));
  }

  private block(token: Marked.MarkedToken, indentLevel: number): Block[] {
    const indent = indentLevel > 0 ? { left: INDENT_STEP * (indentLevel + 1) } : undefined;
    switch (token.type) {
      case 'heading':
        return [
          new Paragraph({
            heading: HEADING_STYLES[Math.min(token.depth, HEADING_STYLES.length) - 1],
            children: runs(token.tokens, token.text),
          }),
        ];
      case 'paragraph':
      case 'text':
        return [new Paragraph({ indent, children: runs(token.tokens, token.text) })];
      case 'list':
        return this.list(token, 0);
      case 'table':
        return [this.table(token)];
      case 'blockquote':
        return this.blocks(token.tokens, indentLevel + 1);
      case 'code':
        return token.text
          .split('\n')
          .map((line) => new Paragraph({ indent, children: [textRun(line, { code: true })] }));
      case 'hr':
        return [new Paragraph({ thematicBreak: true })];
      case 'html':
        return [new Paragraph({ indent, children: [textRun(token.text.trim(), {})] })];
      default:
        return [];
    }
  }

  /** One Word list: each item's first block is numbered, the rest indented under it. */
  private list(list: Marked.Tokens.List, level: number): Block[] {
    this.lists += 1;
    const numbering = {
      reference: list.ordered ? NUMBERED_LIST : BULLET_LIST,
      level,
      instance: this.lists,
    };
    return list.items.flatMap((item) => {
      let numbered = false;
      return item.tokens.flatMap((token): Block[] => {
        const child = token as Marked.MarkedToken;
        if (child.type === 'list') return this.list(child, level + 1);
        if ((child.type === 'text' || child.type === 'paragraph') && !numbered) {
          numbered = true;
          return [new Paragraph({ numbering, children: runs(child.tokens, child.text) })];
        }
        return this.block(child, level + 1);
      });
    });
  }

  private table(table: Marked.Tokens.Table): Table {
    // Only the header row carries the repeat-header flag and bold: an explicit "off" on the
    // other rows is valid Word, but some readers (mammoth) look only for the flag's presence.
    const row = (cells: Marked.Tokens.TableCell[], header: boolean) =>
      new TableRow({
        tableHeader: header ? true : undefined,
        children: cells.map(
          (cell) =>
            new TableCell({
              children: [
                new Paragraph({
                  children: runs(cell.tokens, cell.text, header ? { bold: true } : {}),
                }),
              ],
            }),
        ),
      });
    return new Table({
      width: { size: 100, type: WidthType.PERCENTAGE },
      rows: [row(table.header, true), ...table.rows.map((cells) => row(cells, false))],
    });
  }
}

/** The .docx bytes for a Markdown document; its first `#` heading is also the title property. */
async function markdownToDocx(markdown: string): Promise<Buffer> {
  const tokens = Lexer.lex(markdown.replace(/^\uFEFF/, ''));
  const titleToken = tokens.find(
    (token): token is Marked.Tokens.Heading => token.type === 'heading' && token.depth === 1,
  );
  const document = new Document({
    title: titleToken ? plainText(titleToken.tokens) : undefined,
    numbering: {
      config: [
        { reference: BULLET_LIST, levels: listLevels('bullet') },
        { reference: NUMBERED_LIST, levels: listLevels('decimal') },
      ],
    },
    sections: [{ children: new WordBuilder().blocks(tokens) }],
  });
  return Packer.toBuffer(document);
}

const [input, output] = process.argv.slice(2);
if (!input || !output) {
  console.error('Usage: pnpm bench scripts/markdown-to-docx.ts <in.md> <out.docx>');
  process.exit(2);
}
writeFileSync(output, await markdownToDocx(readFileSync(input, 'utf8')));
console.log(`${input} → ${output}`);
