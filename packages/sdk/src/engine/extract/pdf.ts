import { ExtractionError } from '../errors.js';
import type { ExtractedDocument, ExtractionLimits } from '../types.js';
import { beforeDeadline, checkDeadline } from './budget.js';
import { layoutPdfText, type PdfPageText, type PdfTextRun } from './pdf-layout.js';

type PdfJs = typeof import('pdfjs-dist/legacy/build/pdf.mjs');
type PdfDocument = Awaited<ReturnType<PdfJs['getDocument']>['promise']>;
type PdfPage = Awaited<ReturnType<PdfDocument['getPage']>>;

/** Font names of bold faces: `Arial-BoldMT`, `Calibri,Bold`, `Inter-SemiBold`, `Lato-Black`. */
const BOLD_FONT = /bold|black|heavy|demi(?!light)/i;

/**
 * Reads the text layer of a PDF (pdf.js, loaded on first use; no network, fonts and images
 * are not rendered). Text is laid out into paragraphs, list items and headings (inferred from
 * font size and bold font names, see {@link layoutPdfText}); `anchor.page` is the 1-based page.
 * The title is the document's Title property, else the largest heading on the first page.
 *
 * A PDF without a text layer (a scan) gives a document with no blocks; the caller decides
 * how to report that.
 *
 * @throws {ExtractionError} `document_encrypted` (a password is needed), `document_corrupt`
 *   (not a PDF, or broken), `too_many_pages` (over `limits.maxPages`), `time_budget_exceeded`
 *   (past `deadline`, a `performance.now()` time, checked while loading and between pages;
 *   the first load of pdf.js in a process does not count against it).
 */
export async function extractPdf(
  bytes: Uint8Array,
  limits: Pick<ExtractionLimits, 'maxPages'>,
  deadline: number,
): Promise<ExtractedDocument> {
  const loadStart = performance.now();
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  // Loading pdf.js happens once per process; it is not the document's time.
  const end = deadline + (performance.now() - loadStart);
  const task = pdfjs.getDocument({
    // pdf.js takes ownership of the buffer it is given.
    data: bytes.slice(),
    verbosity: pdfjs.VerbosityLevel.ERRORS,
    disableFontFace: true,
    useSystemFonts: false,
    fontExtraProperties: true,
    maxImageSize: 0,
    enableXfa: false,
  });
  try {
    const doc = await beforeDeadline(task.promise, end);
    if (doc.numPages > limits.maxPages) {
      throw new ExtractionError(
        'too_many_pages',
        `The PDF has ${doc.numPages} pages; the limit is ${limits.maxPages}.`,
        { hint: 'Split the document into smaller files, or raise the maxPages limit.' },
      );
    }
    const pages: PdfPageText[] = [];
    for (let number = 1; number <= doc.numPages; number++) {
      checkDeadline(end);
      pages.push(await beforeDeadline(readPage(doc, number, pdfjs), end));
    }
    const blocks = layoutPdfText(pages);
    const info = await beforeDeadline(doc.getMetadata(), end).catch(() => null);
    const title = metadataTitle(info?.info) ?? firstPageTitle(blocks);
    return { format: 'pdf', title, blocks, pageCount: doc.numPages };
  } catch (error) {
    throw asExtractionError(error, pdfjs);
  } finally {
    await task.destroy();
  }
}

/** The runs of one page's text layer, with font sizes and bold faces. */
async function readPage(doc: PdfDocument, number: number, pdfjs: PdfJs): Promise<PdfPageText> {
  const page = await doc.getPage(number);
  const viewport = page.getViewport({ scale: 1 });
  const content = await page.getTextContent();
  const items = content.items.filter((item) => 'str' in item && item.str !== '');
  const fontIds = Object.keys(content.styles);
  const boldFonts = items.length > 0 ? await boldFontIds(page, fontIds) : new Set<string>();
  const runs: PdfTextRun[] = [];
  for (const item of items) {
    if (!('str' in item)) continue;
    const [, , c = 0, d = 0, e = 0, f = 0] = pdfjs.Util.transform(
      viewport.transform,
      item.transform,
    );
    runs.push({
      text: item.str,
      x: e,
      y: viewport.height - f,
      width: item.width,
      size: Math.hypot(c, d),
      bold: boldFonts.has(item.fontName),
    });
  }
  page.cleanup();
  return { page: number, height: viewport.height, runs };
}

/**
 * Which of the page's fonts are bold faces. Font names reach this side of pdf.js only with the
 * page's operator list (images are skipped by `maxImageSize: 0`).
 */
async function boldFontIds(page: PdfPage, fontIds: string[]): Promise<Set<string>> {
  await page.getOperatorList();
  const bold = new Set<string>();
  const fonts = page.commonObjs as unknown as {
    has(id: string): boolean;
    get(id: string): { name?: string; bold?: boolean; black?: boolean };
  };
  for (const id of fontIds) {
    if (!fonts.has(id)) continue;
    const font = fonts.get(id);
    if (font.bold || font.black || BOLD_FONT.test(font.name ?? '')) bold.add(id);
  }
  return bold;
}

function metadataTitle(info: unknown): string | null {
  const title = (info as { Title?: unknown } | undefined)?.Title;
  if (typeof title !== 'string') return null;
  const clean = title
    .replace(/^Microsoft Word - /, '')
    .replace(/\s+/g, ' ')
    .trim();
  const placeholder = clean === '' || /^untitled$/i.test(clean);
  return placeholder || /\.(docx?|pdf|rtf|odt)$/i.test(clean) ? null : clean;
}

function firstPageTitle(blocks: ExtractedDocument['blocks']): string | null {
  let best: ExtractedDocument['blocks'][number] | null = null;
  for (const block of blocks) {
    if (block.anchor.page !== 1) break;
    if (block.kind !== 'heading') continue;
    if (best === null || (block.fontSize ?? 0) > (best.fontSize ?? 0)) best = block;
  }
  return best?.text ?? null;
}

/** pdf.js failures as typed errors: a password is `document_encrypted`, the rest corrupt. */
function asExtractionError(error: unknown, pdfjs: PdfJs): ExtractionError {
  if (error instanceof ExtractionError) return error;
  if (error instanceof pdfjs.PasswordException) {
    return new ExtractionError('document_encrypted', 'The PDF is protected by a password.', {
      hint: 'Remove the password (save an unprotected copy) and try again.',
      cause: error,
    });
  }
  const reason = error instanceof Error ? error.message : String(error);
  return new ExtractionError('document_corrupt', `The file is not a readable PDF (${reason}).`, {
    hint: 'Check that the file is a complete PDF: open it in a PDF viewer and save a new copy.',
    cause: error,
  });
}
