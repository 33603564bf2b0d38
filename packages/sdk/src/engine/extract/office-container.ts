import { ExtractionError } from '../errors.js';

const OLE2_MAGIC = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
const ZIP_MAGIC = [0x50, 0x4b];
const RTF_MAGIC = [0x7b, 0x5c, 0x72, 0x74, 0x66]; // {\rtf
/** Stream names that only a password-protected OOXML package (inside an OLE2 file) has. */
const ENCRYPTION_STREAMS = ['EncryptionInfo', 'EncryptedPackage'];

/**
 * Checks that `bytes` are a zip container (as .docx files are), refusing with a clear error what
 * is not: a password-protected .docx (`document_encrypted`), a legacy .doc or .rtf
 * (`legacy_format`), or anything else (`document_corrupt`).
 */
export function assertZipContainer(bytes: Uint8Array): void {
  if (startsWith(bytes, ZIP_MAGIC)) return;
  if (startsWith(bytes, OLE2_MAGIC)) {
    if (ENCRYPTION_STREAMS.some((name) => contains(bytes, utf16le(name)))) {
      throw new ExtractionError('document_encrypted', 'The document is password-protected.', {
        hint: 'Remove the password (save an unprotected copy) and try again.',
      });
    }
    throw new ExtractionError('legacy_format', 'The file is a legacy Word (.doc) document.', {
      hint: 'Unsupported format: convert it to .docx (File > Save As in Word) and try again.',
    });
  }
  if (startsWith(bytes, RTF_MAGIC)) {
    throw new ExtractionError('legacy_format', 'The file is an RTF document.', {
      hint: 'Unsupported format: convert it to .docx (File > Save As in Word) and try again.',
    });
  }
  throw new ExtractionError('document_corrupt', 'The file is not a .docx (zip) document.', {
    hint: 'Check the file: it may be damaged, or another format with a .docx name.',
  });
}

function startsWith(bytes: Uint8Array, magic: readonly number[]): boolean {
  return magic.every((byte, index) => bytes[index] === byte);
}

function utf16le(text: string): Uint8Array {
  const bytes = new Uint8Array(text.length * 2);
  for (let index = 0; index < text.length; index++) bytes[index * 2] = text.charCodeAt(index);
  return bytes;
}

function contains(bytes: Uint8Array, pattern: Uint8Array): boolean {
  const first = pattern[0] as number;
  for (let at = bytes.indexOf(first); at >= 0; at = bytes.indexOf(first, at + 1)) {
    let index = 1;
    while (index < pattern.length && bytes[at + index] === pattern[index]) index++;
    if (index === pattern.length) return true;
  }
  return false;
}
