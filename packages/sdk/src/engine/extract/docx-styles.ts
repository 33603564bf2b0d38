import { attribute, NS, parseXml, type XmlElement } from './xml.js';

/** What a paragraph style means for extraction, after following its `basedOn` chain. */
export interface ParagraphStyle {
  /** The style's display name (e.g. `Heading 1`), else its id. */
  name: string;
  /** Heading level 1-9 from a `Heading N` name or an outline level; null for body text. */
  headingLevel: number | null;
  /** Whether it is the `Title` style (or based on it). */
  title: boolean;
  /** The list (`w:numPr/w:numId`) the style applies, if any. */
  numId: string | null;
  /** The list level (`w:numPr/w:ilvl`) the style applies, if any. */
  ilvl: number | null;
  /** Whether its runs are bold unless they say otherwise; null when the chain does not say. */
  bold: boolean | null;
}

/** The styles part, resolved on demand. */
export interface StyleSheet {
  /** The paragraph style `styleId` (or the default paragraph style for null). */
  paragraph(styleId: string | null): ParagraphStyle | null;
  /** Whether the character style `styleId` makes runs bold; null when it does not say. */
  runBold(styleId: string | null): boolean | null;
}

interface RawStyle {
  id: string;
  type: string;
  name: string | null;
  basedOn: string | null;
  outlineLevel: number | null;
  numId: string | null;
  ilvl: number | null;
  bold: boolean | null;
  isDefault: boolean;
}

const HEADING_NAME = /^heading\s*([1-9])$/i;
const TITLE_NAME = /^title$/i;
/** Longest `basedOn` chain followed (guards against cycles). */
const MAX_CHAIN = 16;

/** Reads `w:val` as an OOXML on/off value (absent means on). */
export function onOff(element: XmlElement): boolean {
  const value = attribute(element, NS.w, 'val');
  return value === undefined || !(value === '0' || value === 'false' || value === 'off');
}

/** Parses an integer `w:val`, or null. */
export function intValue(element: XmlElement): number | null {
  const value = Number.parseInt(attribute(element, NS.w, 'val') ?? '', 10);
  return Number.isFinite(value) ? value : null;
}

/** Reads `word/styles.xml` (null when the package has none: style ids are then read by name). */
export function readStyles(xml: string | null, part: string, deadline?: number): StyleSheet {
  const styles = xml === null ? new Map<string, RawStyle>() : parseStyles(xml, part, deadline);
  let defaultParagraph: string | null = null;
  for (const style of styles.values()) {
    if (style.type === 'paragraph' && defaultParagraph === null && style.isDefault) {
      defaultParagraph = style.id;
    }
  }
  const resolved = new Map<string, ParagraphStyle>();
  const chain = (styleId: string): RawStyle[] => {
    const result: RawStyle[] = [];
    for (let id: string | null = styleId; id !== null && result.length < MAX_CHAIN; ) {
      const style = styles.get(id);
      if (!style) break;
      result.push(style);
      id = style.basedOn;
    }
    return result;
  };
  return {
    paragraph(styleId) {
      const id = styleId ?? defaultParagraph;
      if (id === null) return null;
      let style = resolved.get(id);
      if (!style) {
        style = resolveParagraph(id, styles.get(id)?.name ?? id, chain(id));
        resolved.set(id, style);
      }
      return style;
    },
    runBold(styleId) {
      if (styleId === null) return null;
      for (const style of chain(styleId)) if (style.bold !== null) return style.bold;
      return null;
    },
  };
}

function resolveParagraph(id: string, name: string, chain: RawStyle[]): ParagraphStyle {
  const style: ParagraphStyle = {
    name,
    headingLevel: null,
    title: false,
    numId: null,
    ilvl: null,
    bold: null,
  };
  let structureKnown = false;
  // A style missing from the styles part is judged by its id alone.
  const links: Omit<RawStyle, 'type' | 'basedOn' | 'isDefault'>[] =
    chain.length > 0
      ? chain
      : [{ id, name: null, outlineLevel: null, numId: null, ilvl: null, bold: null }];
  for (const link of links) {
    if (!structureKnown) {
      const label = link.name ?? link.id;
      const heading = HEADING_NAME.exec(label);
      if (heading) {
        style.headingLevel = Number(heading[1]);
        structureKnown = true;
      } else if (TITLE_NAME.test(label)) {
        style.title = true;
        structureKnown = true;
      } else if (link.outlineLevel !== null) {
        style.headingLevel = link.outlineLevel < 9 ? link.outlineLevel + 1 : null;
        structureKnown = true;
      }
    }
    if (style.numId === null && link.numId != null) {
      style.numId = link.numId;
      style.ilvl = link.ilvl;
    }
    if (style.bold === null && link.bold != null) style.bold = link.bold;
  }
  return style;
}

function parseStyles(xml: string, part: string, deadline?: number): Map<string, RawStyle> {
  const styles = new Map<string, RawStyle>();
  let current: RawStyle | null = null;
  let inParagraphProps = false;
  let inRunProps = false;
  parseXml(
    xml,
    part,
    {
      open(element) {
        if (element.ns !== NS.w) return;
        if (element.local === 'style') {
          current = {
            id: attribute(element, NS.w, 'styleId') ?? '',
            type: attribute(element, NS.w, 'type') ?? 'paragraph',
            name: null,
            basedOn: null,
            outlineLevel: null,
            numId: null,
            ilvl: null,
            bold: null,
            isDefault: onOffAttribute(attribute(element, NS.w, 'default')),
          };
          return;
        }
        if (current === null) return;
        switch (element.local) {
          case 'name':
            current.name = attribute(element, NS.w, 'val') ?? null;
            break;
          case 'basedOn':
            current.basedOn = attribute(element, NS.w, 'val') ?? null;
            break;
          case 'pPr':
            inParagraphProps = true;
            break;
          case 'rPr':
            inRunProps = true;
            break;
          case 'outlineLvl':
            if (inParagraphProps) current.outlineLevel = intValue(element);
            break;
          case 'numId':
            if (inParagraphProps) current.numId = attribute(element, NS.w, 'val') ?? null;
            break;
          case 'ilvl':
            if (inParagraphProps) current.ilvl = intValue(element);
            break;
          case 'b':
            if (inRunProps) current.bold = onOff(element);
            break;
        }
      },
      close(element) {
        if (element.ns !== NS.w) return;
        if (element.local === 'style') {
          if (current && current.id !== '' && !styles.has(current.id))
            styles.set(current.id, current);
          current = null;
        } else if (element.local === 'pPr') {
          inParagraphProps = false;
        } else if (element.local === 'rPr') {
          inRunProps = false;
        }
      },
    },
    deadline,
  );
  return styles;
}

function onOffAttribute(value: string | undefined): boolean {
  return value === '1' || value === 'true' || value === 'on';
}
