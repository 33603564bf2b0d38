import { ExtractionError } from '../errors.js';
import {
  attribute,
  NAMESPACE_URIS,
  NS,
  namespaceId,
  parseXml,
  type XmlElement,
} from '../extract/xml.js';
import { applyEdits, escapeXml } from './text-edits.js';

const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
const COMMENTS_CONTENT_TYPE =
  'application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml';
const RELATIONSHIPS_CONTENT_TYPE = 'application/vnd.openxmlformats-package.relationships+xml';

/** A comment ready to be written into the comments part. */
export interface CommentRecord {
  id: number;
  author: string;
  initials: string;
  /** Paragraphs of the comment's body. */
  paragraphs: string[];
}

/** The root element of a part and where content can be appended inside it. */
interface RootInfo {
  element: XmlElement;
  /** Offset of the root's end tag, or of `/>` when it is self-closing. */
  closeAt: number;
  /** Offset just past the root's last character. */
  end: number;
}

function readRoot(xml: string, part: string, visit?: (element: XmlElement) => void): RootInfo {
  let root = null as RootInfo | null;
  let depth = 0;
  parseXml(xml, part, {
    open(element) {
      depth++;
      visit?.(element);
      if (depth === 1) root = { element, closeAt: -1, end: -1 };
    },
    close(element, end) {
      depth--;
      if (depth === 0 && root) {
        root.end = end;
        root.closeAt = element.selfClosing ? end - 2 : xml.lastIndexOf('<', end - 1);
      }
    },
  });
  if (!root) throw new ExtractionError('document_corrupt', `${part} has no root element.`);
  return root;
}

/** Inserts `content` at the end of the root element (opening a self-closing root). */
function appendToRoot(xml: string, root: RootInfo, content: string): string {
  if (!root.element.selfClosing) {
    return applyEdits(xml, [{ start: root.closeAt, end: root.closeAt, text: content, order: 0 }]);
  }
  return applyEdits(xml, [
    { start: root.closeAt, end: root.end, text: `>${content}</${root.element.name}>`, order: 0 },
  ]);
}

/** The prefix (with colon) under which `element` sees namespace `ns`, or null when unbound. */
function prefixFor(element: XmlElement, ns: string): string | null {
  for (const prefix in element.scope) {
    const uri = element.scope[prefix];
    if (uri !== undefined && namespaceId(uri) === ns) return prefix === '' ? '' : `${prefix}:`;
  }
  return null;
}

/** `<w:comment>` elements for `comments`, with WordprocessingML under prefix `p` (e.g. `w:`). */
function commentElements(
  comments: readonly CommentRecord[],
  p: string,
  declaration: string,
): string {
  const attributePrefix = p === '' ? 'w:' : p;
  return comments
    .map((comment) => {
      const paragraphs = comment.paragraphs.map((text, index) => {
        const reference = index === 0 ? `<${p}r><${p}annotationRef/></${p}r>` : '';
        const run =
          text === ''
            ? ''
            : `<${p}r><${p}t xml:space="preserve">${escapeXml(text)}</${p}t></${p}r>`;
        return `<${p}p>${reference}${run}</${p}p>`;
      });
      const attributes =
        `${attributePrefix}id="${comment.id}" ${attributePrefix}author="${escapeXml(comment.author)}" ` +
        `${attributePrefix}initials="${escapeXml(comment.initials)}"`;
      return `<${p}comment ${attributes}${declaration}>${paragraphs.join('')}</${p}comment>`;
    })
    .join('');
}

/** A new comments part holding `comments`, in the WordprocessingML namespace `wordNamespace`. */
export function newCommentsPart(comments: readonly CommentRecord[], wordNamespace: string): string {
  return `${XML_DECLARATION}<w:comments xmlns:w="${wordNamespace}">${commentElements(comments, 'w:', '')}</w:comments>`;
}

/** The highest numeric `w:id` in an existing comments part (-1 when none). */
export function maxCommentsPartId(xml: string, part: string): number {
  let max = -1;
  readRoot(xml, part, (element) => {
    if (element.ns !== NS.w) return;
    const id = Number.parseInt(attribute(element, NS.w, 'id') ?? '', 10);
    if (id > max) max = id;
  });
  return max;
}

/** An existing comments part with `comments` appended. */
export function appendToCommentsPart(
  xml: string,
  part: string,
  comments: readonly CommentRecord[],
): string {
  const root = readRoot(xml, part);
  const prefix = prefixFor(root.element, NS.w);
  const content =
    prefix === null
      ? commentElements(comments, 'w:', ` xmlns:w="${NAMESPACE_URIS.wordTransitional}"`)
      : commentElements(comments, prefix, '');
  return appendToRoot(xml, root, content);
}

/**
 * The relationships part with a comments relationship added (`target` relative to the source
 * part), creating the part when `xml` is null.
 */
export function addCommentsRelationship(
  xml: string | null,
  part: string,
  target: string,
  type: string,
): string {
  const relationship = (id: string, p: string) =>
    `<${p}Relationship Id="${id}" Type="${type}" Target="${escapeXml(target)}"/>`;
  if (xml === null) {
    return `${XML_DECLARATION}<Relationships xmlns="${NAMESPACE_URIS.packageRelationships}">${relationship('rId1', '')}</Relationships>`;
  }
  const ids = new Set<string>();
  const root = readRoot(xml, part, (element) => {
    if (element.local === 'Relationship') ids.add(attribute(element, '', 'Id') ?? '');
  });
  let number = ids.size + 1;
  while (ids.has(`rId${number}`)) number++;
  const prefix = prefixFor(root.element, NS.packageRelationships) ?? '';
  return appendToRoot(xml, root, relationship(`rId${number}`, prefix));
}

/**
 * `[Content_Types].xml` with what a comments part at `commentsPart` needs: its Override, and a
 * content type for a relationships part created at `newRelationshipsPart`.
 */
export function addCommentsContentTypes(
  xml: string,
  part: string,
  commentsPart: string,
  newRelationshipsPart: string | null,
): string {
  const overrides = new Set<string>();
  const defaults = new Set<string>();
  const root = readRoot(xml, part, (element) => {
    if (element.local === 'Override')
      overrides.add((attribute(element, '', 'PartName') ?? '').toLowerCase());
    if (element.local === 'Default')
      defaults.add((attribute(element, '', 'Extension') ?? '').toLowerCase());
  });
  const p = prefixFor(root.element, NS.contentTypes) ?? '';
  const additions: string[] = [];
  const override = (name: string, type: string) => {
    if (!overrides.has(name.toLowerCase())) {
      additions.push(`<${p}Override PartName="${escapeXml(name)}" ContentType="${type}"/>`);
    }
  };
  override(`/${commentsPart}`, COMMENTS_CONTENT_TYPE);
  if (newRelationshipsPart !== null && !defaults.has('rels')) {
    override(`/${newRelationshipsPart}`, RELATIONSHIPS_CONTENT_TYPE);
  }
  return additions.length === 0 ? xml : appendToRoot(xml, root, additions.join(''));
}
