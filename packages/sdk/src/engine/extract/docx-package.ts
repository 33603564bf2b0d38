import { ExtractionError } from '../errors.js';
import { attribute, decodeXml, NS, parseXml } from './xml.js';
import type { ZipArchive } from './zip.js';

/** One relationship of an Open Packaging Conventions part. */
export interface Relationship {
  /** Its id, unique within the `.rels` part (e.g. `rId3`). */
  id: string;
  /** Its type URI; {@link relationshipKind} gives the part of it that matters. */
  type: string;
  /** The target as written (relative to the source part unless external). */
  target: string;
  /** Whether the target is outside the package (`TargetMode="External"`). */
  external: boolean;
}

/** Where the parts of a WordprocessingML package are (paths inside the zip). */
export interface DocxParts {
  /** The main document part, usually `word/document.xml`. */
  document: string;
  /** The main document's relationships part. */
  documentRelationships: string;
  /** The styles part, when present. */
  styles: string | null;
  /** The numbering (lists) part, when present. */
  numbering: string | null;
  /** The footnotes part, when present. */
  footnotes: string | null;
  /** The endnotes part, when present. */
  endnotes: string | null;
  /** The core properties part (title, author...), when present. */
  coreProperties: string | null;
}

/** The last segment of a relationship type (`styles`, `officeDocument`...), the same in Transitional and Strict. */
export function relationshipKind(type: string): string {
  return type.slice(type.lastIndexOf('/') + 1);
}

/** The `.rels` part holding `part`'s relationships (`''` for the package itself). */
export function relationshipsPartOf(part: string): string {
  const slash = part.lastIndexOf('/');
  return `${part.slice(0, slash + 1)}_rels/${part.slice(slash + 1)}.rels`;
}

/** The path inside the zip that a relationship `target` of `sourcePart` points at. */
export function resolvePartTarget(sourcePart: string, target: string): string {
  let decoded = target;
  try {
    decoded = decodeURIComponent(target);
  } catch {
    // A target with a stray `%` is used as written.
  }
  const base = decoded.startsWith('/') ? [] : sourcePart.split('/').slice(0, -1);
  const segments: string[] = base;
  for (const segment of decoded.split('/')) {
    if (segment === '..') segments.pop();
    else if (segment !== '.' && segment !== '') segments.push(segment);
  }
  return segments.join('/');
}

/** Parses a `.rels` part. */
export function readRelationships(xml: string, part: string, deadline?: number): Relationship[] {
  const relationships: Relationship[] = [];
  parseXml(
    xml,
    part,
    {
      open(element) {
        if (element.ns !== NS.packageRelationships || element.local !== 'Relationship') return;
        relationships.push({
          id: attribute(element, '', 'Id') ?? '',
          type: attribute(element, '', 'Type') ?? '',
          target: attribute(element, '', 'Target') ?? '',
          external: attribute(element, '', 'TargetMode') === 'External',
        });
      },
    },
    deadline,
  );
  return relationships;
}

/** The text of an XML part, or null when the package has no such part. */
export function readXmlPart(zip: ZipArchive, part: string): string | null {
  const bytes = zip.read(part);
  return bytes ? decodeXml(bytes) : null;
}

/**
 * Finds the main document and the parts Prism reads, following the package relationships
 * (falling back to the conventional `word/...` names when a package omits them).
 * Refuses a zip that holds no WordprocessingML document with `unsupported_format`.
 */
export function locateDocxParts(zip: ZipArchive, deadline?: number): DocxParts {
  const packageRels = related(zip, '', deadline);
  const document =
    packageRels.get('officeDocument') ??
    (zip.find('word/document.xml') ? 'word/document.xml' : null);
  if (document === null || !zip.find(document)) {
    throw new ExtractionError(
      'unsupported_format',
      'The file is a zip archive but not a Word document.',
      {
        hint: 'Prism reads .docx files; convert the document to .docx.',
      },
    );
  }
  const documentRelationships = relationshipsPartOf(document);
  const documentRels = related(zip, document, deadline);
  const folder = document.slice(0, document.lastIndexOf('/') + 1);
  const part = (kind: string, conventional: string) => {
    const target = documentRels.get(kind) ?? `${folder}${conventional}`;
    return zip.find(target) ? target : null;
  };
  const core = packageRels.get('core-properties') ?? 'docProps/core.xml';
  return {
    document,
    documentRelationships,
    styles: part('styles', 'styles.xml'),
    numbering: part('numbering', 'numbering.xml'),
    footnotes: part('footnotes', 'footnotes.xml'),
    endnotes: part('endnotes', 'endnotes.xml'),
    coreProperties: zip.find(core) ? core : null,
  };
}

/** The internal targets of `source`'s relationships, resolved to zip paths, by kind (first wins). */
function related(zip: ZipArchive, source: string, deadline?: number): Map<string, string> {
  const relsPart = relationshipsPartOf(source);
  const xml = readXmlPart(zip, relsPart);
  const byKind = new Map<string, string>();
  if (xml === null) return byKind;
  for (const relationship of readRelationships(xml, relsPart, deadline)) {
    const kind = relationshipKind(relationship.type);
    if (relationship.external || byKind.has(kind)) continue;
    byKind.set(kind, resolvePartTarget(source, relationship.target));
  }
  return byKind;
}
