import { attribute, NS, parseXml } from './xml.js';

/** The numbering part, as far as extraction needs it. */
export interface Numbering {
  /**
   * Whether list `numId` at level `ilvl` is numbered (`true`) or bulleted (`false`); null when
   * `numId` is no list (`0`, or not defined), so the paragraph is not a list item.
   */
  isOrdered(numId: string, ilvl: number): boolean | null;
}

interface AbstractNumbering {
  formats: Map<number, string>;
}

interface ConcreteNumbering {
  abstractId: string | null;
  overrides: Map<number, string>;
}

/** Formats that draw no number. */
const UNNUMBERED_FORMATS = new Set(['bullet', 'none']);

/** Reads `word/numbering.xml` (null when the package has none: then nothing is a list). */
export function readNumbering(xml: string | null, part: string, deadline?: number): Numbering {
  const abstracts = new Map<string, AbstractNumbering>();
  const concretes = new Map<string, ConcreteNumbering>();
  if (xml !== null) parseNumbering(xml, part, abstracts, concretes, deadline);
  return {
    isOrdered(numId, ilvl) {
      const concrete = concretes.get(numId);
      if (!concrete) return null;
      const format =
        concrete.overrides.get(ilvl) ??
        (concrete.abstractId === null
          ? undefined
          : abstracts.get(concrete.abstractId)
        )?.formats.get(ilvl);
      return format !== undefined && !UNNUMBERED_FORMATS.has(format);
    },
  };
}

function parseNumbering(
  xml: string,
  part: string,
  abstracts: Map<string, AbstractNumbering>,
  concretes: Map<string, ConcreteNumbering>,
  deadline?: number,
): void {
  let abstract: AbstractNumbering | null = null;
  let concrete: ConcreteNumbering | null = null;
  let level: number | null = null;
  parseXml(
    xml,
    part,
    {
      open(element) {
        if (element.ns !== NS.w) return;
        switch (element.local) {
          case 'abstractNum':
            abstract = { formats: new Map() };
            abstracts.set(attribute(element, NS.w, 'abstractNumId') ?? '', abstract);
            break;
          case 'num':
            concrete = { abstractId: null, overrides: new Map() };
            concretes.set(attribute(element, NS.w, 'numId') ?? '', concrete);
            break;
          case 'abstractNumId':
            if (concrete) concrete.abstractId = attribute(element, NS.w, 'val') ?? null;
            break;
          case 'lvl':
          case 'lvlOverride':
            level = Number.parseInt(attribute(element, NS.w, 'ilvl') ?? '0', 10);
            break;
          case 'numFmt': {
            const format = attribute(element, NS.w, 'val');
            const formats = concrete ? concrete.overrides : abstract?.formats;
            // The first format of a level wins (later ones are compatibility fallbacks).
            if (format && formats && level !== null && !formats.has(level))
              formats.set(level, format);
            break;
          }
        }
      },
      close(element) {
        if (element.ns !== NS.w) return;
        if (element.local === 'abstractNum') abstract = null;
        else if (element.local === 'num') concrete = null;
        else if (element.local === 'lvl' || element.local === 'lvlOverride') level = null;
      },
    },
    deadline,
  );
}
