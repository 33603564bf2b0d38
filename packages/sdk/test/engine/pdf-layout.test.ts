import { describe, expect, it } from 'vitest';
import {
  layoutPdfText,
  type PdfPageText,
  type PdfTextRun,
} from '../../src/engine/extract/pdf-layout.js';

/** A run of text at (x, y), 11 pt, about 5 pt per character. */
const run = (text: string, y: number, x = 72, extra: Partial<PdfTextRun> = {}): PdfTextRun => ({
  text,
  x,
  y,
  width: text.length * 5,
  size: 11,
  bold: false,
  ...extra,
});

const page = (number: number, runs: PdfTextRun[]): PdfPageText => ({
  page: number,
  height: 792,
  runs,
});

const summary = (pages: PdfPageText[]) =>
  layoutPdfText(pages).map((b) => [b.kind, b.level ?? null, b.text]);

describe('PDF text layout', () => {
  it('nests list items by indent and keeps wrapped item lines with their item', () => {
    const blocks = summary([
      page(1, [
        run('\u2022', 700, 72),
        run('Restore the service and then confirm the', 700, 90),
        run('error rate is back to normal.', 686, 90),
        run('o', 672, 90),
        run('Check the dashboards.', 672, 108),
        run('\u2022', 658, 72),
        run('Write the report.', 658, 90),
      ]),
    ]);
    expect(blocks).toEqual([
      ['list-item', 0, 'Restore the service and then confirm the error rate is back to normal.'],
      ['list-item', 1, 'Check the dashboards.'],
      ['list-item', 0, 'Write the report.'],
    ]);
  });

  it('continues a sentence across a page break, and joins hyphenated lines', () => {
    const blocks = summary([
      page(1, [
        run('The change was deployed with a self-', 120),
        run('service tool and then', 106),
      ]),
      page(2, [run('rolled back an hour later.', 700)]),
    ]);
    expect(blocks).toEqual([
      [
        'paragraph',
        null,
        'The change was deployed with a self-service tool and then rolled back an hour later.',
      ],
    ]);
  });

  it('ends a paragraph at a short line that ends a sentence', () => {
    const blocks = summary([
      page(1, [
        run('The first paragraph is long enough to fill the whole column of text', 700),
        run('and ends here.', 686),
        run('The second paragraph starts right below without any extra spacing.', 672),
      ]),
    ]);
    expect(blocks.map(([kind, , text]) => [kind, text])).toEqual([
      [
        'paragraph',
        'The first paragraph is long enough to fill the whole column of text and ends here.',
      ],
      ['paragraph', 'The second paragraph starts right below without any extra spacing.'],
    ]);
  });

  it('reads a table of contents without its dot leaders, never as headings', () => {
    const blocks = summary([
      page(1, [
        run('Contents', 720, 72, { size: 16, bold: true }),
        run('1. Scope ........................ 4', 700, 72, { bold: true }),
        run('2. Timeline ..................... 5', 686, 72, { bold: true }),
        run('Body text that sets the usual size of the document.', 660),
      ]),
    ]);
    expect(blocks).toEqual([
      ['heading', 1, 'Contents'],
      ['paragraph', null, '1. Scope 4'],
      ['paragraph', null, '2. Timeline 5'],
      ['paragraph', null, 'Body text that sets the usual size of the document.'],
    ]);
  });

  it('reads a bold line at body size as a heading after the sized ones', () => {
    const blocks = summary([
      page(1, [
        run('Incident report', 720, 72, { size: 18, bold: true }),
        run('Background', 690, 72, { size: 14, bold: true }),
        run('Detection', 670, 72, { bold: true }),
        run('An alert fired at 09:02 UTC and paged the on-call engineer.', 650),
      ]),
      page(2, [
        run('Impact', 720, 72, { size: 14, bold: true }),
        run('About 1,200 customers saw errors.', 700),
      ]),
    ]);
    expect(blocks).toEqual([
      ['heading', 1, 'Incident report'],
      ['heading', 2, 'Background'],
      ['heading', 3, 'Detection'],
      ['paragraph', null, 'An alert fired at 09:02 UTC and paged the on-call engineer.'],
      ['heading', 2, 'Impact'],
      ['paragraph', null, 'About 1,200 customers saw errors.'],
    ]);
  });
});
