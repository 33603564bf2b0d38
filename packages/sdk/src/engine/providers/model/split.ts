/**
 * The shortest part of a section's text that is split further when the model says its input
 * is too long, in characters; a shorter part gives up with the model's error.
 */
export const MIN_SPLIT_CHARS = 500;

/** A part of a section's text: characters `[start, end)`. */
export interface TextRange {
  /** The first character. */
  start: number;
  /** Just after the last character. */
  end: number;
}

/** How far from the middle a boundary may be, as a share of the part's length. */
const WINDOW = 0.25;

/** Boundaries, best first: a blank line, a line break, a sentence end, any whitespace. */
const BOUNDARIES: readonly RegExp[] = [
  /\n[^\S\n]*\n\s*/g,
  /\n\s*/g,
  /[.!?\u2026]["'\u2019\u201d)\]]*\s+/g,
  /\s+/g,
];

/**
 * Splits `range` of `text` in two at the boundary nearest its middle: a paragraph break, else
 * a line break, else a sentence end, else whitespace, within a quarter of the part's length of
 * the middle (else at the middle itself). Separating whitespace stays with the first half.
 * Returns null for a part shorter than {@link MIN_SPLIT_CHARS}.
 */
export function splitRange(text: string, range: TextRange): [TextRange, TextRange] | null {
  const length = range.end - range.start;
  if (length < MIN_SPLIT_CHARS) return null;
  const middle = range.start + Math.floor(length / 2);
  const reach = Math.floor(length * WINDOW);
  const cut = boundaryNear(text, range, middle, reach) ?? safeIndex(text, middle);
  return [
    { start: range.start, end: cut },
    { start: cut, end: range.end },
  ];
}

function boundaryNear(
  text: string,
  range: TextRange,
  middle: number,
  reach: number,
): number | null {
  const from = Math.max(range.start + 1, middle - reach);
  const to = Math.min(range.end - 1, middle + reach);
  const window = text.slice(from, to);
  for (const boundary of BOUNDARIES) {
    let best: number | null = null;
    for (const match of window.matchAll(boundary)) {
      const cut = from + match.index + match[0].length;
      if (best === null || Math.abs(cut - middle) < Math.abs(best - middle)) best = cut;
    }
    if (best !== null) return best;
  }
  return null;
}

/** `index`, moved off the second half of a surrogate pair. */
function safeIndex(text: string, index: number): number {
  const code = text.charCodeAt(index);
  return code >= 0xdc00 && code <= 0xdfff ? index + 1 : index;
}
