import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ExtractionError } from '../../src/engine/errors.js';
import { extractPdf } from '../../src/engine/extract/pdf.js';
import { buildPdf, type FixtureLine } from './pdf-fixture.js';

import { REAL_DOCS } from './shared-files.js';

const ISO_PDF = join(REAL_DOCS, 'python-docx-ISO-IEC-29500-3.pdf');
const LIMITS = { maxPages: 100 };
const later = () => performance.now() + 20_000;

const footer = (page: number): FixtureLine[] => [
  { text: 'Company confidential', y: 30 },
  { text: String(page), y: 30, x: 520 },
];

const REPORT = buildPdf([
  [
    { text: 'Payment API outage', y: 720, size: 20, bold: true },
    { text: 'Summary', y: 690, size: 14, bold: true },
    { text: 'On 3 March the payment API returned errors to every customer for', y: 670 },
    { text: '42 minutes after a configuration change.', y: 656 },
    { text: 'Customers could not check out.', y: 630 },
    { text: 'Timeline', y: 600, size: 14, bold: true },
    { text: '- 09:02 UTC alert fired', y: 580 },
    { text: '- 09:44 UTC service restored', y: 566 },
    { text: 'Owner', y: 540, bold: true },
    { text: 'Due date', y: 540, x: 300, bold: true },
    { text: 'SRE lead', y: 526 },
    { text: '2024-04-01', y: 526, x: 300 },
    ...footer(1),
  ],
  [
    { text: 'Root cause', y: 720, size: 14, bold: true },
    { text: 'A limit was removed.', y: 700 },
    ...footer(2),
  ],
  [
    { text: 'Actions', y: 720, size: 14, bold: true },
    { text: '1. Add a canary stage.', y: 700 },
    { text: '2. Alert on error rate.', y: 686 },
    ...footer(3),
  ],
]);

async function rejection(promise: Promise<unknown>): Promise<ExtractionError> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ExtractionError);
  return error as ExtractionError;
}

describe('PDF extraction', () => {
  it('lays out paragraphs, headings by size and weight, lists and table rows, page by page', async () => {
    const doc = await extractPdf(REPORT, LIMITS, later());
    expect(doc.format).toBe('pdf');
    expect(doc.pageCount).toBe(3);
    expect(doc.title).toBe('Payment API outage');
    expect(doc.blocks.map((b) => [b.kind, b.level ?? null, b.text, b.anchor.page])).toEqual([
      ['heading', 1, 'Payment API outage', 1],
      ['heading', 2, 'Summary', 1],
      [
        'paragraph',
        null,
        'On 3 March the payment API returned errors to every customer for 42 minutes after a configuration change.',
        1,
      ],
      ['paragraph', null, 'Customers could not check out.', 1],
      ['heading', 2, 'Timeline', 1],
      ['list-item', 0, '09:02 UTC alert fired', 1],
      ['list-item', 0, '09:44 UTC service restored', 1],
      ['table-row', null, 'Owner | Due date', 1],
      ['table-row', null, 'SRE lead | 2024-04-01', 1],
      ['heading', 2, 'Root cause', 2],
      ['paragraph', null, 'A limit was removed.', 2],
      ['heading', 2, 'Actions', 3],
      ['list-item', 0, 'Add a canary stage.', 3],
      ['list-item', 0, 'Alert on error rate.', 3],
    ]);
    expect(doc.blocks.map((b) => b.anchor.block)).toEqual(doc.blocks.map((_, i) => i));
  });

  it('reports font sizes and bold faces, list order and table cells', async () => {
    const { blocks } = await extractPdf(REPORT, LIMITS, later());
    expect(blocks[0]).toMatchObject({ fontSize: 20, bold: true });
    expect(blocks[2]).toMatchObject({ fontSize: 11, bold: false });
    expect(blocks[5]).toMatchObject({ ordered: false });
    expect(blocks[12]).toMatchObject({ ordered: true });
    expect(blocks[8]?.cells).toEqual(['SRE lead', '2024-04-01']);
  });

  it('drops running footers and page numbers', async () => {
    const { blocks } = await extractPdf(REPORT, LIMITS, later());
    const texts = blocks.map((b) => b.text).join('\n');
    expect(texts).not.toContain('Company confidential');
    expect(blocks.some((b) => /^\d+$/.test(b.text))).toBe(false);
  });

  it('prefers the Title property as the title', async () => {
    const pdf = buildPdf([[{ text: 'Some text.', y: 700 }]], { title: 'Quarterly review' });
    expect((await extractPdf(pdf, LIMITS, later())).title).toBe('Quarterly review');
  });

  it('reads a page without a text layer (a scan) as no blocks', async () => {
    const doc = await extractPdf(buildPdf([[]]), LIMITS, later());
    expect(doc).toEqual({ format: 'pdf', title: null, blocks: [], pageCount: 1 });
  });

  it('reads a real specification: its clauses are headings and its footers are gone', async () => {
    const doc = await extractPdf(new Uint8Array(readFileSync(ISO_PDF)), LIMITS, later());
    expect(doc.pageCount).toBe(46);
    const headings = doc.blocks.filter((b) => b.kind === 'heading');
    const levelOf = (text: string) => headings.find((b) => b.text === text)?.level;
    expect(levelOf('1. Scope')).toBe(1);
    expect(levelOf('2. Conformance')).toBe(1);
    expect(levelOf('2.1 Document Conformance')).toBe(2);
    expect(levelOf('10.1.1 Ignorable Attribute')).toBe(3);
    expect(headings.find((b) => b.text === 'Foreword')?.anchor.page).toBe(4);
    expect(doc.blocks.some((b) => b.text.startsWith('This Part of ISO/IEC 29500 describes'))).toBe(
      true,
    );
    expect(doc.blocks.some((b) => b.text.includes('All rights reserved iii'))).toBe(false);
  });

  it('refuses a password-protected PDF as document_encrypted', async () => {
    const pdf = buildPdf([[{ text: 'Secret', y: 700 }]], { encrypted: true });
    const error = await rejection(extractPdf(pdf, LIMITS, later()));
    expect(error.code).toBe('document_encrypted');
    expect(error.hint).toMatch(/password/);
  });

  it('refuses broken and truncated PDFs as document_corrupt', async () => {
    const garbage = new TextEncoder().encode('%PDF-1.4\nnot really a PDF\n');
    expect((await rejection(extractPdf(garbage, LIMITS, later()))).code).toBe('document_corrupt');
    const truncated = REPORT.slice(0, 300);
    expect((await rejection(extractPdf(truncated, LIMITS, later()))).code).toBe('document_corrupt');
  });

  it('refuses more pages than maxPages', async () => {
    const error = await rejection(extractPdf(REPORT, { maxPages: 2 }, later()));
    expect(error.code).toBe('too_many_pages');
    expect(error.message).toContain('3 pages');
  });

  it('stops at the deadline', async () => {
    const error = await rejection(extractPdf(REPORT, LIMITS, performance.now() - 1));
    expect(error.code).toBe('time_budget_exceeded');
  });

  it('leaves the caller’s bytes usable', async () => {
    const bytes = REPORT.slice();
    await extractPdf(bytes, LIMITS, later());
    expect(bytes.byteLength).toBe(REPORT.byteLength);
  });
});
