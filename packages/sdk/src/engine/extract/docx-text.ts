import { NS, type XmlElement } from './xml.js';

/**
 * WordprocessingML elements whose content is not the document's text once tracked changes are
 * accepted: deletions, moved-away text, and records of previous formatting.
 */
const HIDDEN_ELEMENTS = new Set([
  'del',
  'moveFrom',
  'pPrChange',
  'rPrChange',
  'sectPrChange',
  'tblPrChange',
  'tblPrExChange',
  'trPrChange',
  'tcPrChange',
  'tblGridChange',
  'numberingChange',
]);

/** Run-level elements that stand for a character of text (tabs and breaks read as spaces). */
export const RUN_CHARACTERS: Readonly<Record<string, string>> = {
  tab: ' ',
  ptab: ' ',
  br: ' ',
  cr: ' ',
  noBreakHyphen: '-',
};

/** Collapses runs of whitespace to one space and trims. */
export function collapseWhitespace(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/**
 * Follows which elements are hidden from the accepted text: tracked deletions and property
 * changes, and all but one branch of each `mc:AlternateContent` (the first `mc:Choice`, else the
 * `mc:Fallback`), so a text box written twice for compatibility is read once.
 * Call {@link enter} on every element opened and {@link leave} on every element closed.
 */
export class HiddenContentTracker {
  private depth = 0;
  private hiddenFrom = -1;
  private readonly branchTaken: boolean[] = [];

  /** Registers an opened element; true when it (and so its content) is hidden. */
  enter(element: XmlElement): boolean {
    this.depth++;
    if (this.hiddenFrom >= 0) return true;
    let hide = false;
    if (element.ns === NS.w) {
      hide = HIDDEN_ELEMENTS.has(element.local);
    } else if (element.ns === NS.mc) {
      const last = this.branchTaken.length - 1;
      if (element.local === 'AlternateContent') {
        this.branchTaken.push(false);
      } else if (last >= 0 && (element.local === 'Choice' || element.local === 'Fallback')) {
        hide = this.branchTaken[last] === true;
        this.branchTaken[last] = true;
      }
    }
    if (hide) this.hiddenFrom = this.depth;
    return hide;
  }

  /** Registers a closed element; true when it was hidden. */
  leave(element: XmlElement): boolean {
    const hidden = this.hiddenFrom >= 0;
    if (this.hiddenFrom === this.depth) this.hiddenFrom = -1;
    else if (!hidden && element.ns === NS.mc && element.local === 'AlternateContent') {
      this.branchTaken.pop();
    }
    this.depth--;
    return hidden;
  }
}
