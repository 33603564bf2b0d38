/** A section an answer cited, and where. */
export interface CitedSection {
  /** The cited section's `index`. */
  sectionIndex: number;
  /** How many characters of the answer come before the marker. */
  offset: number;
}

/** A whole marker group at the start of a text: `[S3]`, `[S3, S5]`. */
const MARKER_GROUP = /^\[S\d+(?:\s*,\s*S\d+)*\]/;
/** The start of a text that may still become a marker group as more text arrives. */
const MARKER_START = /^\[(?:S\d*(?:\s*,\s*(?:S\d*)?)*)?$/;
/** A possible marker longer than this is text. */
const MAX_MARKER_CHARS = 64;

/**
 * Reads a model's answer as it streams and keeps its citation markers honest: `[S<n>]` (or
 * `[S<n>, S<m>]`) naming sections the model was shown stays in the text as `[S<n>]`, one per
 * section (a group becomes `[S<n>][S<m>]`); a marker naming any other section is taken out,
 * leaving no stray space ("done [S9]." → "done."). Text that may be the start of a marker
 * (`[S1`) is held back until it is known, at most 64 characters, and spaces and tabs until the
 * text after them comes; everything else passes at once. Every kept marker is recorded with
 * its place.
 */
export class CitationMarkers {
  readonly #shown: ReadonlySet<number>;
  readonly #cited: CitedSection[] = [];
  #pending = '';
  #text = '';
  #afterTakenOut = false;

  /** @param shown The `index` of every section the model was shown. */
  constructor(shown: ReadonlySet<number>) {
    this.#shown = shown;
  }

  /** The answer so far, as passed on. */
  get text(): string {
    return this.#text;
  }

  /** The sections cited so far, in the order cited. */
  get cited(): readonly CitedSection[] {
    return this.#cited;
  }

  /** Takes the next piece of the answer; returns the text that can be passed on now. */
  push(piece: string): string {
    const start = this.#text.length;
    this.#pending += piece;
    for (;;) {
      if (this.#afterTakenOut) this.#tidyAfterTakenOut();
      const open = this.#pending.indexOf('[');
      const before = open < 0 ? this.#pending : this.#pending.slice(0, open);
      // Spaces wait for what follows them: a marker taken out must not leave a space behind.
      const text = withoutTrailingSpace(before);
      const space = before.slice(text.length);
      this.#text += text;
      if (open < 0) {
        this.#pending = space;
        break;
      }
      const rest = this.#pending.slice(open);
      const group = MARKER_GROUP.exec(rest)?.[0];
      if (group !== undefined) {
        const kept = this.#keepShown(group, space);
        this.#pending = (kept ? '' : space) + rest.slice(group.length);
        this.#afterTakenOut = !kept;
      } else if (rest.length < MAX_MARKER_CHARS && MARKER_START.test(rest)) {
        this.#pending = space + rest;
        break;
      } else {
        this.#text += `${space}[`;
        this.#pending = rest.slice(1);
      }
    }
    return this.#text.slice(start);
  }

  /** Ends the answer; returns the text held back, passed on as it is. */
  end(): string {
    const rest = this.#pending;
    this.#text += rest;
    this.#pending = '';
    return rest;
  }

  /** Writes the markers of the shown sections of `group` after `space`; false when none is. */
  #keepShown(group: string, space: string): boolean {
    const named = new Set(Array.from(group.matchAll(/\d+/g), ([digits]) => Number(digits)));
    const shown = [...named].filter((sectionIndex) => this.#shown.has(sectionIndex));
    if (shown.length === 0) return false;
    this.#text += space;
    for (const sectionIndex of shown) {
      this.#cited.push({ sectionIndex, offset: this.#text.length });
      this.#text += `[S${sectionIndex}]`;
    }
    return true;
  }

  /**
   * After a marker taken out, punctuation closes up to the word before it ("done [S9]." →
   * "done.") and a word stays one space away ("done [S9] today" → "done today").
   */
  #tidyAfterTakenOut(): void {
    const rest = this.#pending.replace(/^[ \t]+/, '');
    if (rest === '') return;
    const space = this.#pending.slice(0, this.#pending.length - rest.length);
    this.#pending = /^[.,;:!?)]/.test(rest) ? rest : space.slice(-1) + rest;
    this.#afterTakenOut = false;
  }
}

/** `text` without the spaces and tabs it ends with. */
function withoutTrailingSpace(text: string): string {
  let end = text.length;
  while (end > 0 && (text[end - 1] === ' ' || text[end - 1] === '\t')) end -= 1;
  return text.slice(0, end);
}
