/** A replacement of `text.slice(start, end)` (an insertion when `start === end`). */
export interface TextEdit {
  start: number;
  end: number;
  text: string;
  /** Among insertions at one offset, lower `order` comes first in the result. */
  order: number;
}

/**
 * Applies non-overlapping edits to `text`. At one offset, a replacement keeps its place after the
 * insertions made there, and insertions appear in `order`.
 */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const sorted = [...edits].sort(
    (a, b) => b.start - a.start || b.end - b.start - (a.end - a.start) || b.order - a.order,
  );
  const pieces: string[] = [];
  let cursor = text.length;
  for (const edit of sorted) {
    pieces.push(text.slice(edit.end, cursor), edit.text);
    cursor = edit.start;
  }
  pieces.push(text.slice(0, cursor));
  return pieces.reverse().join('');
}

/** `text` without the characters XML 1.0 forbids (most controls, lone surrogates, U+FFFE/F). */
function dropInvalidXmlCharacters(text: string): string {
  let result = '';
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code >= 0xd800 && code <= 0xdbff) {
      const next = text.charCodeAt(index + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        result += text.slice(index, index + 2);
        index++;
      }
      continue;
    }
    const control = code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d;
    const lowSurrogate = code >= 0xdc00 && code <= 0xdfff;
    if (!control && !lowSurrogate && code !== 0xfffe && code !== 0xffff)
      result += text.charAt(index);
  }
  return result;
}

/** Escapes text for XML character data or a double-quoted attribute, dropping characters XML forbids. */
export function escapeXml(text: string): string {
  return dropInvalidXmlCharacters(text)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}
