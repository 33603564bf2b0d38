import { ExtractionError } from '../errors.js';
import type { Block, ExtractedDocument, ExtractionLimits } from '../types.js';
import { checkDeadline } from './budget.js';
import { type NoteReference, readDocumentBody, readNotes } from './docx-body.js';
import { readNumbering } from './docx-numbering.js';
import { locateDocxParts, readXmlPart } from './docx-package.js';
import { readStyles } from './docx-styles.js';
import { collapseWhitespace } from './docx-text.js';
import { assertZipContainer } from './office-container.js';
import { NS, parseXml } from './xml.js';
import { openZip, type ZipArchive } from './zip.js';

/**
 * Extracts a .docx (Transitional or Strict OOXML) into Prism's structured form: headings from
 * styles and outline levels, list items, table rows, then footnotes and endnotes; tracked
 * changes read as accepted; comments, headers and footers left out. Each block's
 * `anchor.block` is its (first) `w:p` ordinal in the main document part.
 *
 * Synchronous. Throws {@link ExtractionError}: `file_too_large`, `archive_*` (zip bombs),
 * `xml_forbidden_construct` (any DOCTYPE), `legacy_format` (.doc, .rtf), `document_encrypted`,
 * `unsupported_format` (a zip that is no Word document), `document_corrupt`, and
 * `time_budget_exceeded` once `performance.now()` passes `deadline`.
 */
export function extractDocx(
  bytes: Uint8Array,
  limits: ExtractionLimits,
  deadline: number,
): ExtractedDocument {
  checkDeadline(deadline);
  if (bytes.length > limits.maxFileBytes) {
    throw new ExtractionError(
      'file_too_large',
      `The file is ${bytes.length} bytes; the limit is ${limits.maxFileBytes}.`,
      { hint: 'Split the document, or raise maxFileBytes if it is genuine.' },
    );
  }
  assertZipContainer(bytes);
  const zip = openZip(bytes, limits);
  const parts = locateDocxParts(zip, deadline);
  const part = (path: string | null) => (path === null ? null : readXmlPart(zip, path));
  const styles = readStyles(part(parts.styles), parts.styles ?? 'styles', deadline);
  const numbering = readNumbering(part(parts.numbering), parts.numbering ?? 'numbering', deadline);
  checkDeadline(deadline);
  const body = readDocumentBody(
    part(parts.document) ?? '',
    parts.document,
    styles,
    numbering,
    deadline,
  );
  const noteBlocks = readNoteBlocks(
    zip,
    parts.footnotes,
    parts.endnotes,
    body.noteReferences,
    deadline,
  );
  return {
    format: 'docx',
    title: readCoreTitle(zip, parts.coreProperties, deadline) ?? body.titleParagraph,
    blocks: [...body.blocks, ...noteBlocks],
    pageCount: null,
  };
}

/** Footnotes then endnotes, each in the order the body first references them. */
function readNoteBlocks(
  zip: ZipArchive,
  footnotesPart: string | null,
  endnotesPart: string | null,
  references: readonly NoteReference[],
  deadline: number,
): Block[] {
  const blocks: Block[] = [];
  for (const [kind, path] of [
    ['footnote', footnotesPart],
    ['endnote', endnotesPart],
  ] as const) {
    const xml = path === null ? null : readXmlPart(zip, path);
    if (xml === null || path === null) continue;
    const notes = readNotes(xml, path, deadline);
    const seen = new Set<string>();
    for (const reference of references) {
      const text = notes.get(reference.id);
      if (reference.kind !== kind || text === undefined || seen.has(reference.id)) continue;
      seen.add(reference.id);
      blocks.push({ kind: 'footnote', text, anchor: { block: reference.ordinal, page: null } });
    }
  }
  return blocks;
}

/** The `dc:title` core property, when set. */
function readCoreTitle(zip: ZipArchive, path: string | null, deadline: number): string | null {
  const xml = path === null ? null : readXmlPart(zip, path);
  if (xml === null || path === null) return null;
  let inTitle = false;
  const parts: string[] = [];
  parseXml(
    xml,
    path,
    {
      open(element) {
        inTitle = element.ns === NS.dc && element.local === 'title';
      },
      close() {
        inTitle = false;
      },
      text(text) {
        if (inTitle) parts.push(text);
      },
    },
    deadline,
  );
  const title = collapseWhitespace(parts.join(''));
  return title === '' ? null : title;
}
