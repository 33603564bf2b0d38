import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { ExtractionError, type ExtractionErrorCode } from '../../src/engine/errors.js';
import { extractDocx } from '../../src/engine/extract/docx.js';
import {
  DEFAULT_EXTRACTION_LIMITS,
  type ExtractedDocument,
  type ExtractionLimits,
} from '../../src/engine/types.js';
import { makeDocx, paragraph, REAL_DOCS, W } from './docx-fixture.js';

function extract(bytes: Uint8Array, limits: Partial<ExtractionLimits> = {}): ExtractedDocument {
  return extractDocx(
    bytes,
    { ...DEFAULT_EXTRACTION_LIMITS, ...limits },
    performance.now() + 30_000,
  );
}

function extractFile(name: string): ExtractedDocument {
  return extract(readFileSync(join(REAL_DOCS, name)));
}

function texts(document: ExtractedDocument): string[] {
  return document.blocks.map((block) => block.text);
}

function failure(read: () => unknown): ExtractionError {
  try {
    read();
  } catch (error) {
    if (error instanceof ExtractionError) return error;
    throw error;
  }
  throw new Error('expected an ExtractionError');
}

function expectRefusal(read: () => unknown, code: ExtractionErrorCode): ExtractionError {
  const error = failure(read);
  expect(error.code).toBe(code);
  expect(error.hint).toBeTruthy();
  return error;
}

describe('reading real .docx files', () => {
  it('resolves heading levels and style names through the styles part', () => {
    const document = extractFile('python-docx-par-known-styles.docx');
    expect(document.blocks).toEqual([
      {
        kind: 'paragraph',
        text: 'no specified style',
        style: 'Normal',
        anchor: { block: 0, page: null },
      },
      {
        kind: 'paragraph',
        text: 'missing style',
        style: 'Foobar',
        anchor: { block: 1, page: null },
      },
      {
        kind: 'heading',
        level: 1,
        text: 'Heading 1',
        style: 'heading 1',
        bold: true,
        anchor: { block: 2, page: null },
      },
      {
        kind: 'paragraph',
        text: 'Body Text',
        style: 'Body Text',
        anchor: { block: 3, page: null },
      },
    ]);
    expect(document).toMatchObject({ format: 'docx', title: null, pageCount: null });
  });

  it('reads bulleted and numbered list items, including numbering that comes from a style', () => {
    expect(extractFile('mammoth-simple-list.docx').blocks).toMatchObject([
      { kind: 'list-item', text: 'Apple', level: 0, ordered: false },
      { kind: 'list-item', text: 'Banana', level: 0, ordered: false },
    ]);
    expect(extractFile('python-docx-num-having-numbering-part.docx').blocks).toMatchObject([
      {
        kind: 'list-item',
        text: 'Paragraph having List Number style.',
        ordered: true,
        style: 'List Number',
      },
    ]);
  });

  it('reads tables as rows of cells anchored on their first paragraph', () => {
    expect(extractFile('mammoth-tables.docx').blocks).toEqual([
      { kind: 'paragraph', text: 'Above', style: 'Normal', anchor: { block: 0, page: null } },
      {
        kind: 'table-row',
        text: 'Top left | Top right',
        cells: ['Top left', 'Top right'],
        anchor: { block: 1, page: null },
      },
      {
        kind: 'table-row',
        text: 'Bottom left | Bottom right',
        cells: ['Bottom left', 'Bottom right'],
        anchor: { block: 3, page: null },
      },
      { kind: 'paragraph', text: 'Below', style: 'Normal', anchor: { block: 5, page: null } },
    ]);
    const cells = extractFile('python-docx-tbl-cell-access.docx').blocks;
    expect(cells).toHaveLength(12);
    expect(cells.every((block) => block.kind === 'table-row')).toBe(true);
    expect(cells.slice(0, 3).map((block) => block.cells)).toEqual([
      ['1', '2', '3'],
      ['4', '5', '6'],
      ['7', '8', '9'],
    ]);
    expect(cells[4]?.cells).toEqual(['4', '6']);
    expect(extractFile('python-docx-tbl-having-tables.docx').blocks).toEqual([]);
  });

  it('puts footnotes and endnotes at the end, anchored on the paragraph that cites them', () => {
    for (const name of ['mammoth-footnotes.docx', 'mammoth-endnotes.docx']) {
      expect(extractFile(name).blocks).toEqual([
        { kind: 'paragraph', text: 'Ouch.', style: 'Normal', anchor: { block: 0, page: null } },
        { kind: 'footnote', text: 'A tachyon walks into a bar.', anchor: { block: 0, page: null } },
        { kind: 'footnote', text: 'Fin.', anchor: { block: 0, page: null } },
      ]);
    }
  });

  it('leaves comments, headers and footers out of the body', () => {
    expect(texts(extractFile('mammoth-comments.docx'))).toEqual(['Ouch.']);
    const sections = texts(extractFile('python-docx-hdr-header-footer.docx'));
    expect(sections).toEqual(['section with header', 'section without header of its own.']);
    expect(sections.join(' ')).not.toMatch(/Header for|Footer for/);
  });

  it('reads Strict OOXML, text boxes (once), a byte order mark and hyperlinks', () => {
    expect(texts(extractFile('mammoth-strict-format.docx'))).toEqual(['Test']);
    expect(extractFile('mammoth-text-box.docx').blocks).toMatchObject([
      { kind: 'paragraph', text: 'Datum plane', anchor: { block: 1, page: null } },
    ]);
    expect(texts(extractFile('mammoth-utf8-bom.docx'))).toEqual([
      'This XML has a byte order mark.',
    ]);
    expect(texts(extractFile('python-docx-par-hyperlinks.docx'))).toContain(
      'Three hyperlinks: the first one here, the second one, and the third.',
    );
  });

  it('reads an empty document as no blocks', () => {
    expect(extractFile('mammoth-empty.docx')).toEqual({
      format: 'docx',
      title: null,
      blocks: [],
      pageCount: null,
    });
  });
});

describe('reading hand-written .docx structure', () => {
  it('reads tracked changes as accepted: insertions and moves in, deletions out', () => {
    const body =
      '<w:p><w:r><w:t xml:space="preserve">The cause was </w:t></w:r>' +
      '<w:del w:id="1" w:author="A"><w:r><w:delText>a network fault</w:delText></w:r></w:del>' +
      '<w:ins w:id="2" w:author="A"><w:r><w:t>an expired certificate</w:t></w:r></w:ins>' +
      '<w:r><w:t>.</w:t></w:r></w:p>' +
      '<w:p><w:moveFrom w:id="3" w:author="A"><w:r><w:t>Moved sentence.</w:t></w:r></w:moveFrom>' +
      '<w:r><w:t>Kept.</w:t></w:r></w:p>' +
      '<w:p><w:moveTo w:id="4" w:author="A"><w:r><w:t>Moved sentence.</w:t></w:r></w:moveTo></w:p>' +
      '<w:p><w:pPr><w:pPrChange w:id="5" w:author="A"><w:pPr><w:pStyle w:val="Heading1"/></w:pPr></w:pPrChange></w:pPr>' +
      '<w:r><w:t>Formerly a heading.</w:t></w:r></w:p>';
    const document = extract(makeDocx({ body, styles: HEADING_STYLES }));
    expect(document.blocks).toMatchObject([
      { kind: 'paragraph', text: 'The cause was an expired certificate.', anchor: { block: 0 } },
      { kind: 'paragraph', text: 'Kept.', anchor: { block: 1 } },
      { kind: 'paragraph', text: 'Moved sentence.', anchor: { block: 2 } },
      { kind: 'paragraph', text: 'Formerly a heading.', anchor: { block: 3 } },
    ]);
  });

  it('takes the title from the core properties, else from the first Title paragraph', () => {
    const body =
      paragraph('Gateway outage review', '<w:pStyle w:val="Title"/>') + paragraph('Body.');
    const untitled = extract(makeDocx({ body, styles: HEADING_STYLES }));
    expect(untitled.title).toBe('Gateway outage review');
    expect(untitled.blocks[0]).toMatchObject({ kind: 'heading', level: 1, style: 'Title' });
    expect(
      extract(makeDocx({ body, styles: HEADING_STYLES, title: ' Official  title ' })).title,
    ).toBe('Official title');
  });

  it('finds heading levels from based-on styles and outline levels, and notices all-bold lines', () => {
    const body =
      paragraph('Inherited', '<w:pStyle w:val="MyHeading"/>') +
      paragraph('Outlined', '<w:outlineLvl w:val="2"/>') +
      paragraph('Body text override', '<w:pStyle w:val="Heading1"/><w:outlineLvl w:val="9"/>') +
      '<w:p><w:r><w:rPr><w:b/></w:rPr><w:t>BOLD</w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:tab/><w:t>LINE</w:t></w:r></w:p>' +
      '<w:p><w:r><w:rPr><w:b/></w:rPr><w:t>Half</w:t></w:r><w:r><w:rPr><w:b w:val="0"/></w:rPr><w:t> bold</w:t></w:r></w:p>';
    const blocks = extract(makeDocx({ body, styles: HEADING_STYLES })).blocks;
    expect(blocks).toMatchObject([
      { kind: 'heading', level: 2, text: 'Inherited', style: 'My Heading' },
      { kind: 'heading', level: 3, text: 'Outlined' },
      { kind: 'paragraph', text: 'Body text override' },
      { kind: 'paragraph', text: 'BOLD LINE', bold: true },
      { kind: 'paragraph', text: 'Half bold' },
    ]);
    expect(blocks[4]).not.toHaveProperty('bold');
  });

  it('reads list levels and numbered versus bulleted formats from the numbering part', () => {
    const numbering =
      '<w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:numFmt w:val="decimal"/></w:lvl>' +
      '<w:lvl w:ilvl="1"><w:numFmt w:val="bullet"/></w:lvl></w:abstractNum>' +
      '<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>' +
      '<w:num w:numId="2"><w:abstractNumId w:val="0"/><w:lvlOverride w:ilvl="0"><w:lvl w:ilvl="0"><w:numFmt w:val="bullet"/></w:lvl></w:lvlOverride></w:num>';
    const item = (text: string, numId: string, ilvl: string) =>
      paragraph(text, `<w:numPr><w:ilvl w:val="${ilvl}"/><w:numId w:val="${numId}"/></w:numPr>`);
    const body =
      item('First step', '1', '0') +
      item('A detail', '1', '1') +
      item('Overridden', '2', '0') +
      item('No list', '0', '0');
    expect(extract(makeDocx({ body, numbering })).blocks).toMatchObject([
      { kind: 'list-item', text: 'First step', level: 0, ordered: true },
      { kind: 'list-item', text: 'A detail', level: 1, ordered: false },
      { kind: 'list-item', text: 'Overridden', level: 0, ordered: false },
      { kind: 'paragraph', text: 'No list' },
    ]);
  });

  it('counts every w:p for anchors, including nested tables and unused compatibility branches', () => {
    const box = (text: string) => `<w:txbxContent>${paragraph(text)}</w:txbxContent>`;
    const body =
      `<w:p><w:r><w:t>Host</w:t></w:r><w:r><mc:AlternateContent><mc:Choice Requires="wps">${box('In the box')}</mc:Choice>` +
      `<mc:Fallback>${box('In the box')}</mc:Fallback></mc:AlternateContent></w:r></w:p>` +
      '<w:tbl><w:tr><w:tc>' +
      paragraph('Outer') +
      `<w:tbl><w:tr><w:tc>${paragraph('Inner')}</w:tc></w:tr></w:tbl></w:tc><w:tc>${paragraph('')}</w:tc></w:tr></w:tbl>` +
      paragraph('After');
    expect(extract(makeDocx({ body })).blocks).toEqual([
      { kind: 'paragraph', text: 'Host', anchor: { block: 0, page: null } },
      { kind: 'paragraph', text: 'In the box', anchor: { block: 1, page: null } },
      {
        kind: 'table-row',
        text: 'Outer Inner | ',
        cells: ['Outer Inner', ''],
        anchor: { block: 3, page: null },
      },
      { kind: 'paragraph', text: 'After', anchor: { block: 6, page: null } },
    ]);
  });

  it('matches WordprocessingML by namespace, whatever its prefix', () => {
    const bytes = makeDocx({
      body: '',
      extra: {
        'word/document.xml':
          `<doc:document xmlns:doc="${W}"><doc:body><doc:p><doc:r><doc:t>Prefixed</doc:t></doc:r></doc:p>` +
          `<p xmlns="${W}"><r><t>Default namespace</t></r></p><w:p xmlns:w="urn:other"><w:r><w:t>Not Word</w:t></w:r></w:p></doc:body></doc:document>`,
      },
    });
    expect(texts(extract(bytes))).toEqual(['Prefixed', 'Default namespace']);
  });
});

const HEADING_STYLES =
  '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>' +
  '<w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/><w:basedOn w:val="Normal"/></w:style>' +
  '<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/><w:pPr><w:outlineLvl w:val="0"/></w:pPr></w:style>' +
  '<w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="heading 2"/><w:basedOn w:val="Normal"/></w:style>' +
  '<w:style w:type="paragraph" w:styleId="MyHeading"><w:name w:val="My Heading"/><w:basedOn w:val="Heading2"/></w:style>';

describe('refusing hostile, damaged and unsupported files', () => {
  it('refuses a zip bomb from its declared sizes, before inflating it', () => {
    const error = expectRefusal(
      () => extractFile('hostile-zip-bomb.docx'),
      'archive_ratio_exceeded',
    );
    expect(error.message).toContain('word/document.xml');
  });

  it('refuses any DOCTYPE, so entities are never expanded and external files never read', () => {
    expectRefusal(() => extractFile('hostile-entity-expansion.docx'), 'xml_forbidden_construct');
    const error = expectRefusal(
      () => extractFile('hostile-external-entity.docx'),
      'xml_forbidden_construct',
    );
    expect(`${error.message} ${error.hint}`).not.toContain('root:');
  });

  it('refuses files that are not zips, or truncated ones, as corrupt', () => {
    expectRefusal(() => extractFile('malformed-not-a-zip.docx'), 'document_corrupt');
    expectRefusal(() => extractFile('malformed-truncated.docx'), 'document_corrupt');
    expectRefusal(
      () => extract(makeDocx({ body: '<w:p><w:r><w:t>unclosed</w:r></w:p>' })),
      'document_corrupt',
    );
  });

  it('catches an entry that inflates past the size it declares', () => {
    const huge = `<w:document xmlns:w="${W}"><w:body>${'<w:p/>'.repeat(500_000)}</w:body></w:document>`;
    const bytes = makeDocx({ body: '', extra: { 'word/document.xml': huge } });
    declareSize(bytes, 'word/document.xml', 2_000);
    expectRefusal(() => extract(bytes), 'archive_too_large');
  });

  it('enforces the entry count, total size and file size limits', () => {
    const bytes = readFileSync(join(REAL_DOCS, 'mammoth-tables.docx'));
    expectRefusal(() => extract(bytes, { maxZipEntries: 3 }), 'archive_too_many_entries');
    expectRefusal(() => extract(bytes, { maxUncompressedBytes: 10_000 }), 'archive_too_large');
    expectRefusal(() => extract(bytes, { maxFileBytes: 1_000 }), 'file_too_large');
  });

  it('stops once the time budget is spent', () => {
    const bytes = readFileSync(join(REAL_DOCS, 'mammoth-tables.docx'));
    expectRefusal(
      () => extractDocx(bytes, DEFAULT_EXTRACTION_LIMITS, performance.now() - 1),
      'time_budget_exceeded',
    );
  });

  it('asks for a conversion for legacy .doc and .rtf, and the password removed when encrypted', () => {
    const ole = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
    const legacyDoc = new Uint8Array([...ole, ...new Uint8Array(504), ...utf16('WordDocument')]);
    const encrypted = new Uint8Array([...ole, ...new Uint8Array(504), ...utf16('EncryptionInfo')]);
    expect(expectRefusal(() => extract(legacyDoc), 'legacy_format').hint).toMatch(
      /convert.*\.docx/i,
    );
    expect(
      expectRefusal(() => extract(strToU8('{\\rtf1\\ansi hello}')), 'legacy_format').hint,
    ).toMatch(/convert.*\.docx/i);
    expect(expectRefusal(() => extract(encrypted), 'document_encrypted').hint).toMatch(/password/i);
  });

  it('refuses a zip that holds no Word document', () => {
    const spreadsheet = zipSync({ 'xl/workbook.xml': strToU8('<workbook/>') });
    expectRefusal(() => extract(spreadsheet), 'unsupported_format');
  });
});

function utf16(text: string): number[] {
  return [...text].flatMap((character) => [character.charCodeAt(0), 0]);
}

/** Rewrites the declared uncompressed size of `name` in both of its zip headers. */
function declareSize(zip: Uint8Array, name: string, size: number): void {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  const encoded = strToU8(name);
  for (let at = 0; at + 46 < zip.length; at++) {
    if (view.getUint32(at, true) !== 0x02014b50) continue;
    const nameLength = view.getUint16(at + 28, true);
    const entryName = zip.subarray(at + 46, at + 46 + nameLength);
    if (entryName.length !== encoded.length || !entryName.every((byte, i) => byte === encoded[i]))
      continue;
    view.setUint32(at + 24, size, true);
    view.setUint32(view.getUint32(at + 42, true) + 22, size, true);
    return;
  }
  throw new Error(`no entry ${name}`);
}
