import { SaxesParser } from 'saxes';
import { ExtractionError } from '../errors.js';
import { checkDeadline } from './budget.js';

/**
 * Short ids for the namespaces Prism reads. Transitional and Strict OOXML share an id, so
 * readers match `w:p` whichever of the two a document uses.
 */
export const NS = {
  /** WordprocessingML. */
  w: 'w',
  /** Office relationships (attributes such as `r:id`). */
  r: 'r',
  /** Markup compatibility (`mc:AlternateContent`). */
  mc: 'mc',
  /** Package relationships (`.rels` parts). */
  packageRelationships: 'pr',
  /** Package content types (`[Content_Types].xml`). */
  contentTypes: 'ct',
  /** Dublin Core elements (`dc:title` in core properties). */
  dc: 'dc',
} as const;

/** The namespace URIs behind {@link NS}, as written in new parts. */
export const NAMESPACE_URIS = {
  wordTransitional: 'http://schemas.openxmlformats.org/wordprocessingml/2006/main',
  wordStrict: 'http://purl.oclc.org/ooxml/wordprocessingml/main',
  packageRelationships: 'http://schemas.openxmlformats.org/package/2006/relationships',
  contentTypes: 'http://schemas.openxmlformats.org/package/2006/content-types',
} as const;

const NAMESPACE_IDS: Record<string, string> = {
  [NAMESPACE_URIS.wordTransitional]: NS.w,
  [NAMESPACE_URIS.wordStrict]: NS.w,
  'http://schemas.openxmlformats.org/officeDocument/2006/relationships': NS.r,
  'http://purl.oclc.org/ooxml/officeDocument/relationships': NS.r,
  'http://schemas.openxmlformats.org/markup-compatibility/2006': NS.mc,
  [NAMESPACE_URIS.packageRelationships]: NS.packageRelationships,
  [NAMESPACE_URIS.contentTypes]: NS.contentTypes,
  'http://purl.org/dc/elements/1.1/': NS.dc,
};

/** Prefix → namespace URI bindings in force at an element (inherited through the prototype chain). */
export type NamespaceScope = Record<string, string>;

/** An element as the visitor sees it: resolved namespace, local name and raw attributes. */
export interface XmlElement {
  /** The namespace's short id from {@link NS}, else its URI ('' when unqualified). */
  ns: string;
  /** The local name, e.g. `p` for `w:p`. */
  local: string;
  /** The qualified name as written, e.g. `w:p`. */
  name: string;
  /** Attributes by qualified name, values already unescaped. */
  attributes: Record<string, string>;
  /** Namespace bindings in force here. */
  scope: NamespaceScope;
  /** Whether it was written `<x/>`. */
  selfClosing: boolean;
}

/**
 * Callbacks for {@link parseXml}. `end` is the offset in the text just past the tag's `>`, so
 * writers can splice the original text.
 */
export interface XmlVisitor {
  /** An element opened. */
  open?(element: XmlElement, end: number): void;
  /** An element closed (right after `open` for a self-closing one). */
  close?(element: XmlElement, end: number): void;
  /** Character data (text or CDATA), unescaped. */
  text?(text: string): void;
}

const ROOT_SCOPE: NamespaceScope = { xml: 'http://www.w3.org/XML/1998/namespace' };
/** Characters handed to the parser between two time-budget checks. */
const CHUNK_CHARS = 256 * 1024;

/** The short id of a namespace URI (see {@link NS}), or the URI itself. */
export function namespaceId(uri: string): string {
  return NAMESPACE_IDS[uri] ?? uri;
}

/** The value of the attribute `local` in namespace `ns` (a {@link NS} id), if present. */
export function attribute(element: XmlElement, ns: string, local: string): string | undefined {
  const { attributes } = element;
  for (const key in attributes) {
    const colon = key.indexOf(':');
    if (colon < 0) {
      if (ns === '' && key === local) return attributes[key];
      continue;
    }
    if (key.length - colon - 1 !== local.length || !key.endsWith(local)) continue;
    const uri = element.scope[key.slice(0, colon)];
    if (uri !== undefined && namespaceId(uri) === ns) return attributes[key];
  }
  return undefined;
}

/**
 * Decodes an XML part's bytes: UTF-8 unless a UTF-16 byte order mark says otherwise; a UTF-8
 * byte order mark is dropped.
 */
export function decodeXml(bytes: Uint8Array): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes);
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes);
  return new TextDecoder('utf-8').decode(bytes);
}

/**
 * Parses `xml` as a stream (no DOM), calling `visitor` in document order. Refuses any DOCTYPE
 * (so no entity is ever declared or expanded, internal or external) with
 * `xml_forbidden_construct`, malformed XML with `document_corrupt`, and stops with
 * `time_budget_exceeded` once `performance.now()` passes `deadline`.
 */
export function parseXml(
  xml: string,
  part: string,
  visitor: XmlVisitor,
  deadline = Number.POSITIVE_INFINITY,
): void {
  const parser = new SaxesParser({ position: false });
  const stack: XmlElement[] = [];
  parser.on('doctype', () => {
    throw new ExtractionError(
      'xml_forbidden_construct',
      `${part} contains a DOCTYPE declaration; Prism never processes DTDs or entities.`,
      { hint: 'Save the document again from its editor; genuine Office files have no DOCTYPE.' },
    );
  });
  parser.on('opentag', (tag) => {
    const attributes = tag.attributes as Record<string, string>;
    const element = toElement(tag.name, attributes, tag.isSelfClosing, stack);
    stack.push(element);
    visitor.open?.(element, parser.position);
  });
  parser.on('closetag', () => {
    const element = stack.pop();
    if (element) visitor.close?.(element, parser.position);
  });
  if (visitor.text) {
    const onText = visitor.text.bind(visitor);
    parser.on('text', onText);
    parser.on('cdata', onText);
  }
  try {
    for (let at = 0; at < xml.length; at += CHUNK_CHARS) {
      parser.write(xml.slice(at, at + CHUNK_CHARS));
      checkDeadline(deadline);
    }
    parser.close();
  } catch (error) {
    if (error instanceof ExtractionError) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new ExtractionError('document_corrupt', `${part} is not well-formed XML: ${reason}`, {
      hint: 'The file is damaged; open it in its editor and save it again.',
      cause: error,
    });
  }
}

function toElement(
  name: string,
  attributes: Record<string, string>,
  selfClosing: boolean,
  stack: readonly XmlElement[],
): XmlElement {
  const parentScope = stack.length > 0 ? (stack[stack.length - 1] as XmlElement).scope : ROOT_SCOPE;
  let scope = parentScope;
  for (const key in attributes) {
    if (key.charCodeAt(0) !== 120 || !key.startsWith('xmlns')) continue;
    if (key.length > 5 && key.charCodeAt(5) !== 58) continue;
    if (scope === parentScope) scope = Object.create(parentScope) as NamespaceScope;
    scope[key.length === 5 ? '' : key.slice(6)] = attributes[key] as string;
  }
  const colon = name.indexOf(':');
  const prefix = colon < 0 ? '' : name.slice(0, colon);
  const uri = scope[prefix];
  return {
    ns: uri ? namespaceId(uri) : '',
    local: colon < 0 ? name : name.slice(colon + 1),
    name,
    attributes,
    scope,
    selfClosing,
  };
}
