import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ExtractionError, type ExtractionErrorCode } from '../../src/engine/errors.js';
import { readDocument } from '../../src/engine/extract/index.js';

import { LABELLED_DOCS, REAL_DOCS } from './shared-files.js';

const FOLDERS = [REAL_DOCS, LABELLED_DOCS];

/** Every stable extraction error code (the record keeps it in step with the type). */
const CODES: Record<ExtractionErrorCode, true> = {
  file_too_large: true,
  archive_too_large: true,
  archive_ratio_exceeded: true,
  archive_too_many_entries: true,
  xml_forbidden_construct: true,
  too_many_pages: true,
  too_many_sections: true,
  time_budget_exceeded: true,
  unsupported_format: true,
  legacy_format: true,
  document_encrypted: true,
  document_corrupt: true,
};

/** Every document in the corpus folders; labels, sources and readmes are not documents. */
const files = FOLDERS.flatMap((folder) =>
  readdirSync(folder, { withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => entry.name)
    .filter((name) => !/\.json$/i.test(name) && !/^(sources|readme)\.md$/i.test(name))
    .sort()
    .map((name) => ({ name, path: join(folder, name) })),
);

type Outcome =
  | { doc: Awaited<ReturnType<typeof readDocument>>; error: null }
  | { doc: null; error: unknown };

const outcomes = new Map<string, Promise<Outcome>>();

/** What reading one file gave (read once): a review-ready document, or a refusal. */
function outcome(path: string, name: string): Promise<Outcome> {
  const read = async (): Promise<Outcome> => {
    try {
      const doc = await readDocument(
        { bytes: new Uint8Array(readFileSync(path)), filename: name },
        { limits: { timeBudgetMs: 4000 } },
      );
      return { doc, error: null };
    } catch (error) {
      return { doc: null, error };
    }
  };
  const cached = outcomes.get(path) ?? read();
  outcomes.set(path, cached);
  return cached;
}

describe('the shared corpus', () => {
  it('has documents to read', () => {
    expect(files.length).toBeGreaterThan(40);
  });

  it.each(files)('$name extracts or is refused with a typed error', async ({ name, path }) => {
    const { doc, error } = await outcome(path, name);
    if (doc) {
      expect(Array.isArray(doc.sections)).toBe(true);
      expect(doc.sections.map((section) => section.index)).toEqual(
        doc.sections.map((_, index) => index),
      );
      const text = JSON.stringify(doc);
      expect(text).not.toMatch(/root:x?:0:0:/);
      return;
    }
    expect(error).toBeInstanceOf(ExtractionError);
    const typed = error as ExtractionError;
    expect(Object.keys(CODES)).toContain(typed.code);
    expect(typed.message.trim()).not.toBe('');
    expect(typed.hint?.trim()).toBeTruthy();
  });

  it('reads the specification PDF into headed sections', async () => {
    const { doc } = await outcome(
      join(FOLDERS[0] ?? '', 'python-docx-ISO-IEC-29500-3.pdf'),
      'python-docx-ISO-IEC-29500-3.pdf',
    );
    expect(doc?.format).toBe('pdf');
    expect(doc?.sections.map((section) => section.heading)).toContain('1. Scope');
  });

  it('refuses the .docx renamed .pdf as document_corrupt', async () => {
    const { error } = await outcome(
      join(FOLDERS[0] ?? '', 'malformed-renamed-pdf.pdf'),
      'malformed-renamed-pdf.pdf',
    );
    expect((error as ExtractionError).code).toBe('document_corrupt');
  });
});
