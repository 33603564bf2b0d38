import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import mammoth from 'mammoth';
import { describe, expect, it } from 'vitest';
import { extractMarkdown } from '../../src/engine/extract/markdown.js';
import type { Block } from '../../src/engine/types.js';

const documentsDir = resolve(import.meta.dirname, '../../../../examples/documents');
const samples = readdirSync(documentsDir)
  .filter((file) => file.endsWith('.md') && file !== 'README.md')
  .map((file) => file.replace(/\.md$/, ''));

const normalise = (text: string) => text.replace(/\s+/g, ' ').trim();

/** The texts a block must contribute to the Word version: a row's cells, or the block's text. */
function expectedTexts(block: Block): string[] {
  return block.kind === 'table-row' ? (block.cells ?? []) : [block.text];
}

/** Every block text of the Markdown that the Word text does not contain. */
function missingFromWord(markdown: string, wordText: string): string[] {
  const haystack = normalise(wordText);
  return extractMarkdown(markdown)
    .blocks.flatMap(expectedTexts)
    .map(normalise)
    .filter((text) => text !== '' && !haystack.includes(text));
}

function count(html: string, tag: string): number {
  return html.split(`<${tag}>`).length - 1;
}

describe('sample documents in examples/documents', () => {
  it('has the four samples, each with a Word version beside it', () => {
    expect(samples.length).toBeGreaterThanOrEqual(4);
    for (const name of samples) expect(existsSync(join(documentsDir, `${name}.docx`))).toBe(true);
  });

  it.each(samples)(
    '%s.docx holds every heading, paragraph, list item and cell of the .md',
    async (name) => {
      const markdown = readFileSync(join(documentsDir, `${name}.md`), 'utf8');
      const { value } = await mammoth.extractRawText({ path: join(documentsDir, `${name}.docx`) });
      expect(missingFromWord(markdown, value)).toEqual([]);
    },
  );

  it.each(samples)(
    '%s.docx uses Word headings, lists, tables and the title property',
    async (name) => {
      const extracted = extractMarkdown(readFileSync(join(documentsDir, `${name}.md`), 'utf8'));
      const docx = readFileSync(join(documentsDir, `${name}.docx`));
      const { value: html } = await mammoth.convertToHtml({ buffer: docx });
      const blocks = (kind: Block['kind'], test: (block: Block) => boolean = () => true) =>
        extracted.blocks.filter((block) => block.kind === kind && test(block)).length;

      expect(count(html, 'h1')).toBe(blocks('heading', (block) => block.level === 2));
      expect(count(html, 'h2')).toBe(blocks('heading', (block) => block.level === 3));
      expect(count(html, 'li')).toBe(blocks('list-item'));
      expect(html.includes('<ol>')).toBe(
        blocks('list-item', (block) => block.ordered === true) > 0,
      );
      expect(html.includes('<ul>')).toBe(
        blocks('list-item', (block) => block.ordered === false) > 0,
      );
      expect(count(html, 'tr')).toBe(blocks('table-row'));

      const core = strFromU8(unzipSync(docx)['docProps/core.xml'] ?? new Uint8Array());
      const title = core.match(/<dc:title>([^<]*)<\/dc:title>/)?.[1] ?? null;
      expect(title || null).toBe(extracted.title);
    },
  );

  it('reports Markdown text that the Word version lacks', async () => {
    const markdown = readFileSync(join(documentsDir, 'cold-chain-excursion.md'), 'utf8');
    const { value } = await mammoth.extractRawText({
      path: join(documentsDir, 'cold-chain-excursion.docx'),
    });
    const edited = markdown
      .replace('peaking at 11.4 °C', 'peaking at 12.9 °C')
      .concat('\n## Appendix\n\n- Probe calibration certificates\n');
    expect(missingFromWord(edited, value)).toEqual([
      expect.stringContaining('peaking at 12.9 °C'),
      'Appendix',
      'Probe calibration certificates',
    ]);
  });
});
