import { ExtractionError } from '../errors.js';

/** How much of a file is checked for NUL bytes, the mark of binary content. */
const BINARY_PROBE_BYTES = 8192;

/**
 * Decodes a text document (Markdown, plain text, HTML):
 * - a UTF-16 byte-order mark selects UTF-16 (little or big endian);
 * - otherwise UTF-8 when the bytes are valid UTF-8 (a UTF-8 byte-order mark is dropped);
 * - otherwise Windows-1252, the encoding older Windows editors save in: every byte decodes, so
 *   a stray non-UTF-8 byte never refuses a document.
 *
 * @throws {ExtractionError} `document_corrupt` when the content is binary (has NUL bytes).
 */
export function decodeText(bytes: Uint8Array, name: string): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes);
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes);
  if (bytes.subarray(0, BINARY_PROBE_BYTES).includes(0)) {
    throw new ExtractionError('document_corrupt', `${name} holds binary data, not text.`, {
      hint: 'Check the file: it may be mislabelled or damaged. Prism reads text files as UTF-8.',
    });
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('windows-1252').decode(bytes);
  }
}
