import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ExtractionError } from '../../src/engine/errors.js';
import { extractDocument, readDocument } from '../../src/engine/extract/index.js';
import { buildPdf } from './pdf-fixture.js';

import { REAL_DOCS as CORPUS } from './shared-files.js';

const encode = (text: string) => new TextEncoder().encode(text);
const decode = (bytes: Uint8Array) => new TextDecoder('latin1').decode(bytes);
const PDF = buildPdf([
  [
    { text: 'Payment API outage', y: 720, size: 20, bold: true },
    { text: 'The API failed for 42 minutes.', y: 690 },
  ],
]);
const OLE2_MAGIC = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];

/** A fake legacy Office (OLE2) file: the magic number, then `content` as UTF-16LE names. */
function ole2(content: string): Uint8Array {
  const names = new Uint8Array([...content].flatMap((char) => [char.charCodeAt(0), 0]));
  const bytes = new Uint8Array(512 + names.length);
  bytes.set(OLE2_MAGIC);
  bytes.set(names, 512);
  return bytes;
}

/** The start of an OpenDocument text package: a zip whose first entry is its `mimetype`. */
function openDocumentText(): Uint8Array {
  const bytes = new Uint8Array(120);
  bytes.set([0x50, 0x4b, 0x03, 0x04]);
  bytes.set(encode('mimetypeapplication/vnd.oasis.opendocument.text'), 30);
  return bytes;
}

async function rejection(promise: Promise<unknown>): Promise<ExtractionError> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ExtractionError);
  const typed = error as ExtractionError;
  expect(typed.message).not.toBe('');
  expect(typed.hint).toBeTruthy();
  return typed;
}

describe('extractDocument', () => {
  it('refuses a file over maxFileBytes before looking at it, naming the limit', async () => {
    const error = await rejection(
      extractDocument(
        { bytes: new Uint8Array(3 * 1024 * 1024), filename: 'big.xyz' },
        {
          maxFileBytes: 1024 * 1024,
        },
      ),
    );
    expect(error.code).toBe('file_too_large');
    expect(error.message).toContain('big.xyz is 3.0 MB');
    expect(error.hint).toContain('1.0 MB');
  });

  it('reads by extension, then by media type', async () => {
    const text = 'Summary\n\nAll good.';
    expect((await extractDocument({ bytes: encode(text), filename: 'a.md' })).format).toBe(
      'markdown',
    );
    expect((await extractDocument({ bytes: encode(text), filename: 'a.MARKDOWN' })).format).toBe(
      'markdown',
    );
    expect((await extractDocument({ bytes: encode(text), filename: 'notes.txt' })).format).toBe(
      'text',
    );
    expect((await extractDocument({ bytes: encode('<p>x</p>'), filename: 'a.htm' })).format).toBe(
      'html',
    );
    const upload = {
      bytes: encode(text),
      filename: 'upload',
      mediaType: 'text/markdown; charset=utf-8',
    };
    expect((await extractDocument(upload)).format).toBe('markdown');
  });

  it('trusts the content of a PDF or zip over a missing or unknown extension', async () => {
    const doc = await extractDocument({ bytes: PDF, filename: 'download' });
    expect(doc.format).toBe('pdf');
    expect(doc.title).toBe('Payment API outage');
    const docx = readFileSync(`${CORPUS}/mammoth-single-paragraph.docx`);
    const fromZip = await extractDocument({ bytes: new Uint8Array(docx), filename: 'file.bin' });
    expect(fromZip.format).toBe('docx');
  });

  it('reads a text file that mentions a PDF header as text', async () => {
    const doc = await extractDocument({
      bytes: encode('Notes on formats.\n\nEvery PDF starts with %PDF-1.7.'),
      filename: 'notes.md',
    });
    expect(doc.format).toBe('markdown');
    const junk = await extractDocument({ bytes: encode(`junk\n${decode(PDF)}`), filename: 'x' });
    expect(junk.format).toBe('pdf');
  });

  it('refuses a .docx renamed .pdf, and other names that contradict the content', async () => {
    const renamed = new Uint8Array(readFileSync(`${CORPUS}/malformed-renamed-pdf.pdf`));
    const error = await rejection(
      extractDocument({ bytes: renamed, filename: 'malformed-renamed-pdf.pdf' }),
    );
    expect(error.code).toBe('document_corrupt');
    expect(error.message).toContain('named as a PDF but its content is a zip archive');
    expect(error.hint).toContain('.docx');
    const pdfAsText = await rejection(extractDocument({ bytes: PDF, filename: 'notes.txt' }));
    expect(pdfAsText.code).toBe('document_corrupt');
    const textAsPdf = await rejection(
      extractDocument({ bytes: encode('just text'), filename: 'report.pdf' }),
    );
    expect(textAsPdf.code).toBe('document_corrupt');
    expect(textAsPdf.message).toContain('%PDF');
  });

  it('refuses legacy formats with a "convert to .docx" hint', async () => {
    const cases = [
      { bytes: ole2('WordDocument'), filename: 'old.doc' },
      { bytes: ole2('WordDocument'), filename: 'mislabelled.pdf' },
      { bytes: encode('{\\rtf1\\ansi Hello}'), filename: 'letter.rtf' },
      { bytes: encode('{\\rtf1\\ansi Hello}'), filename: 'letter.txt' },
      { bytes: encode('not really rtf'), filename: 'letter.rtf' },
      { bytes: encode('PK\u0003\u0004'), filename: 'notes.odt' },
      { bytes: openDocumentText(), filename: 'notes.bin' },
    ];
    for (const input of cases) {
      const error = await rejection(extractDocument(input));
      expect(error.code, input.filename).toBe('legacy_format');
      expect(error.hint).toMatch(/\.docx/);
    }
  });

  it('refuses a password-protected .docx (an encrypted OLE2 package)', async () => {
    const error = await rejection(
      extractDocument({ bytes: ole2('EncryptionInfo EncryptedPackage'), filename: 'secret.docx' }),
    );
    expect(error.code).toBe('document_encrypted');
  });

  it('refuses an unknown format, listing the supported ones', async () => {
    const error = await rejection(
      extractDocument({ bytes: encode('a,b\n1,2'), filename: 'x.csv' }),
    );
    expect(error.code).toBe('unsupported_format');
    expect(error.hint).toContain('.docx, .pdf, .md, .txt, .html');
  });

  it('decodes text as UTF-8, UTF-16 with a byte-order mark, or Windows-1252', async () => {
    const read = async (bytes: number[]) =>
      (await extractDocument({ bytes: new Uint8Array(bytes), filename: 'a.txt' })).blocks[0]?.text;
    expect(await read([0xef, 0xbb, 0xbf, 0x63, 0x61, 0x66, 0xc3, 0xa9])).toBe('café');
    expect(await read([0x63, 0x61, 0x66, 0xe9, 0x20, 0x93, 0x6f, 0x6b, 0x94])).toBe('café “ok”');
    expect(await read([0xff, 0xfe, 0x68, 0x00, 0x69, 0x00])).toBe('hi');
    expect(await read([0xfe, 0xff, 0x00, 0x68, 0x00, 0x69])).toBe('hi');
  });

  it('refuses binary content under a text name', async () => {
    const error = await rejection(
      extractDocument({ bytes: new Uint8Array([0x41, 0x00, 0x42, 0x00, 0x07]), filename: 'a.md' }),
    );
    expect(error.code).toBe('document_corrupt');
  });

  it('stops a long extraction at the time budget', async () => {
    const iso = new Uint8Array(readFileSync(`${CORPUS}/python-docx-ISO-IEC-29500-3.pdf`));
    const error = await rejection(
      extractDocument({ bytes: iso, filename: 'iso.pdf' }, { timeBudgetMs: 1 }),
    );
    expect(error.code).toBe('time_budget_exceeded');
  });

  it('applies the page limit', async () => {
    const error = await rejection(
      extractDocument({ bytes: PDF, filename: 'a.pdf' }, { maxPages: 0 }),
    );
    expect(error.code).toBe('too_many_pages');
  });
});

describe('readDocument', () => {
  const markdown = encode('# Outage\n\n## Summary\n\nIt broke.\n\n## Impact\n\n1,200 users.');

  it('extracts and splits into sections, keeping the extraction', async () => {
    const doc = await readDocument({ bytes: markdown, filename: 'outage.md' });
    expect(doc.format).toBe('markdown');
    expect(doc.title).toBe('Outage');
    expect(doc.sections.map((s) => [s.heading, s.text])).toEqual([
      ['Summary', 'It broke.'],
      ['Impact', '1,200 users.'],
    ]);
    expect(doc.extracted.blocks).toHaveLength(5);
  });

  it('refuses more sections than the maxSections limit', async () => {
    const error = await rejection(
      readDocument({ bytes: markdown, filename: 'outage.md' }, { limits: { maxSections: 1 } }),
    );
    expect(error.code).toBe('too_many_sections');
  });

  it('reads a PDF with no text layer as a document without sections', async () => {
    const doc = await readDocument({ bytes: buildPdf([[]]), filename: 'scan.pdf' });
    expect(doc.extracted.blocks).toEqual([]);
    expect(doc.sections).toEqual([]);
  });
});
