import { ExtractionError } from '../errors.js';
import {
  locateDocxParts,
  readRelationships,
  relationshipKind,
  resolvePartTarget,
} from '../extract/docx-package.js';
import { assertZipContainer } from '../extract/office-container.js';
import { decodeXml, NAMESPACE_URIS } from '../extract/xml.js';
import { openZip, type ZipArchive, type ZipEntry } from '../extract/zip.js';
import { DEFAULT_EXTRACTION_LIMITS, type ExtractionLimits } from '../types.js';
import {
  anchorComment,
  type ClaimedRuns,
  CommentMarkup,
  openSelfClosingParagraph,
} from './docx-comment-anchors.js';
import {
  addCommentsContentTypes,
  addCommentsRelationship,
  appendToCommentsPart,
  type CommentRecord,
  maxCommentsPartId,
  newCommentsPart,
} from './docx-package-edits.js';
import {
  type DocumentLayout,
  type ParagraphLayout,
  scanDocumentLayout,
} from './docx-paragraph-layout.js';
import { applyEdits, type TextEdit } from './text-edits.js';
import { rewriteZip } from './zip-rewrite.js';

/** A comment to write into a .docx as a native Word comment. */
export interface DocxComment {
  /** The paragraph it is about: a block's `anchor.block` (the `w:p` ordinal). */
  block: number;
  /** Text of that paragraph to anchor on, when there is one; else the whole paragraph. */
  quote: string | null;
  /** The author Word shows. */
  author: string;
  /** The author's initials (default: the first letter of each word of `author`). */
  initials?: string;
  /** The comment's body; `\n` separates paragraphs. */
  text: string;
}

const CONTENT_TYPES_PART = '[Content_Types].xml';
const COMMENTS_RELATIONSHIP = {
  transitional: 'http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments',
  strict: 'http://purl.oclc.org/ooxml/officeDocument/relationships/comments',
};

/**
 * Returns a copy of the .docx `docx` with each comment added as a native Word comment:
 * appended to the comments part (created, with its relationship and content type, when the
 * document has none) under fresh ids, and anchored in the main document on the quoted text when
 * one run holds it (that run is split so the range covers exactly the quote), else on the runs
 * the quote spans, else on the whole paragraph. A `block` past the last paragraph anchors on the
 * last paragraph; a document with no paragraph at all gets an empty first paragraph to hold its
 * comments. Every other zip entry is copied byte for byte.
 * Throws {@link ExtractionError} for a file that is not a readable .docx.
 */
export function addDocxComments(
  docx: Uint8Array,
  comments: readonly DocxComment[],
  limits: ExtractionLimits = DEFAULT_EXTRACTION_LIMITS,
): Uint8Array {
  if (comments.length === 0) return docx;
  assertZipContainer(docx);
  const zip = openZip(docx, limits);
  const parts = locateDocxParts(zip);
  const document = readForRewrite(zip, parts.document) ?? missing(parts.document);
  const layout = scanDocumentLayout(
    document.xml,
    parts.document,
    new Set(comments.map((comment) => comment.block)),
  );

  const relationships = readForRewrite(zip, parts.documentRelationships);
  const existing = (
    relationships ? readRelationships(relationships.xml, parts.documentRelationships) : []
  ).find(
    (relationship) => !relationship.external && relationshipKind(relationship.type) === 'comments',
  );
  const folder = parts.document.slice(0, parts.document.lastIndexOf('/') + 1);
  const commentsPart = existing
    ? resolvePartTarget(parts.document, existing.target)
    : `${folder}comments.xml`;
  const commentsXml = readForRewrite(zip, commentsPart);

  let nextId =
    Math.max(layout.maxId, commentsXml ? maxCommentsPartId(commentsXml.xml, commentsPart) : -1) + 1;
  let order = 1;
  const nextOrder = () => order++;
  const edits: TextEdit[] = [];
  const claimed: ClaimedRuns = new Set();
  const opened = new Set<ParagraphLayout>();
  const records: CommentRecord[] = [];
  const unanchored: number[] = [];
  for (const comment of comments) {
    const id = nextId++;
    const exact = layout.paragraphs.get(comment.block);
    const paragraph = exact ?? layout.last;
    if (!paragraph) {
      unanchored.push(id);
    } else {
      if (paragraph.selfClosing && !opened.has(paragraph)) {
        opened.add(paragraph);
        edits.push(...openSelfClosingParagraph(paragraph));
      }
      const quote = exact ? comment.quote : null;
      const markup = new CommentMarkup(paragraph.element);
      edits.push(...anchorComment(paragraph, id, quote, markup, claimed, nextOrder));
    }
    records.push({
      id,
      author: comment.author,
      initials: comment.initials ?? initialsOf(comment.author),
      paragraphs: comment.text.split(/\r?\n/),
    });
  }

  if (unanchored.length > 0) edits.push(paragraphForUnanchored(layout, unanchored, parts.document));

  const replacements = new Map<ZipEntry, Uint8Array>();
  const additions = new Map<string, Uint8Array>();
  const put = (path: string, content: string) => {
    const entry = zip.find(path);
    const bytes = new TextEncoder().encode(content);
    if (entry) replacements.set(entry, bytes);
    else additions.set(path, bytes);
  };
  put(parts.document, document.bom + applyEdits(document.xml, edits));
  put(
    commentsPart,
    commentsXml
      ? commentsXml.bom + appendToCommentsPart(commentsXml.xml, commentsPart, records)
      : newCommentsPart(records, layout.wordNamespace),
  );
  if (!existing) {
    const type =
      layout.wordNamespace === NAMESPACE_URIS.wordStrict
        ? COMMENTS_RELATIONSHIP.strict
        : COMMENTS_RELATIONSHIP.transitional;
    const target = commentsPart.slice(folder.length);
    const xml = addCommentsRelationship(
      relationships?.xml ?? null,
      parts.documentRelationships,
      target,
      type,
    );
    put(parts.documentRelationships, (relationships?.bom ?? '') + xml);
  }
  const contentTypes = readForRewrite(zip, CONTENT_TYPES_PART) ?? missing(CONTENT_TYPES_PART);
  const newRelationshipsPart = relationships ? null : parts.documentRelationships;
  const updatedTypes = addCommentsContentTypes(
    contentTypes.xml,
    CONTENT_TYPES_PART,
    commentsPart,
    newRelationshipsPart,
  );
  if (updatedTypes !== contentTypes.xml) put(CONTENT_TYPES_PART, contentTypes.bom + updatedTypes);

  const documentEntry = zip.find(parts.document) ?? missing(parts.document);
  return rewriteZip(zip, replacements, additions, documentEntry);
}

/** A new first paragraph holding the comments of a document that has no paragraph at all. */
function paragraphForUnanchored(
  layout: DocumentLayout,
  ids: readonly number[],
  part: string,
): TextEdit {
  if (!layout.body) {
    throw new ExtractionError('document_corrupt', `${part} has no body to comment on.`, {
      hint: 'The file is damaged; open it in Word and save it again.',
    });
  }
  const markup = new CommentMarkup(layout.body.element);
  const markers = ids.map((id) => markup.rangeStart(id) + markup.rangeEndAndReference(id)).join('');
  const at = layout.body.contentStart;
  return { start: at, end: at, text: markup.paragraph(markers), order: 0 };
}

/** A part's text and byte order mark, refusing UTF-16 parts (they are rewritten as UTF-8). */
function readForRewrite(zip: ZipArchive, path: string): { xml: string; bom: string } | null {
  const bytes = zip.read(path);
  if (bytes === null) return null;
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    throw new ExtractionError('unsupported_format', `${path} is UTF-16 encoded.`, {
      hint: 'Save the document again from Word, which writes UTF-8.',
    });
  }
  const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? '\ufeff' : '';
  return { xml: decodeXml(bytes), bom };
}

function missing(path: string): never {
  throw new ExtractionError('document_corrupt', `The package has no ${path} part.`, {
    hint: 'The file is damaged; open it in Word and save it again.',
  });
}

function initialsOf(author: string): string {
  const initials = author
    .split(/\s+/)
    .filter((word) => word !== '')
    .map((word) => word.charAt(0).toUpperCase())
    .join('');
  return initials === '' ? '?' : initials;
}
