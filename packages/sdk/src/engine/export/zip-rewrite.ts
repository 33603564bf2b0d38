import { deflateSync } from 'fflate';
import type { ZipArchive, ZipEntry } from '../extract/zip.js';

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let index = 0; index < 256; index++) {
    let value = index;
    for (let bit = 0; bit < 8; bit++) value = value & 1 ? 0xedb88320 ^ (value >>> 1) : value >>> 1;
    table[index] = value >>> 0;
  }
  return table;
})();

function crc32(data: Uint8Array): number {
  let crc = 0xffffffff;
  for (let index = 0; index < data.length; index++) {
    crc = (CRC_TABLE[(crc ^ (data[index] as number)) & 0xff] as number) ^ (crc >>> 8);
  }
  return (crc ^ 0xffffffff) >>> 0;
}

interface OutputEntry {
  source: ZipEntry | null;
  rawName: Uint8Array;
  method: number;
  crc32: number;
  uncompressedSize: number;
  data: Uint8Array;
  modTime: number;
  modDate: number;
}

/**
 * Writes a copy of `archive` in which the entries named in `replacements` get new content and
 * `additions` are appended. Every other entry keeps its stored (compressed) bytes, CRC, time and
 * attributes exactly; only its headers are rewritten (without extra fields or data descriptors).
 * New and replaced entries are deflated and take the time of `timeFrom` (or their own).
 */
export function rewriteZip(
  archive: ZipArchive,
  replacements: ReadonlyMap<ZipEntry, Uint8Array>,
  additions: ReadonlyMap<string, Uint8Array>,
  timeFrom: ZipEntry,
): Uint8Array {
  const encoder = new TextEncoder();
  const entries: OutputEntry[] = archive.entries.map((entry) => {
    const content = replacements.get(entry);
    if (content) return compressed(entry, entry.rawName, content, entry);
    return {
      source: entry,
      rawName: entry.rawName,
      method: entry.method,
      crc32: entry.crc32,
      uncompressedSize: entry.uncompressedSize,
      data: archive.storedData(entry),
      modTime: entry.modTime,
      modDate: entry.modDate,
    };
  });
  for (const [name, content] of additions) {
    entries.push(compressed(null, encoder.encode(name), content, timeFrom));
  }
  return writeArchive(entries);
}

function compressed(
  source: ZipEntry | null,
  rawName: Uint8Array,
  content: Uint8Array,
  time: ZipEntry,
): OutputEntry {
  return {
    source,
    rawName,
    method: 8,
    crc32: crc32(content),
    uncompressedSize: content.length,
    data: deflateSync(content, { level: 6 }),
    modTime: time.modTime,
    modDate: time.modDate,
  };
}

function writeArchive(entries: readonly OutputEntry[]): Uint8Array {
  let size = 22;
  for (const entry of entries) size += 30 + 46 + 2 * entry.rawName.length + entry.data.length;
  const output = new Uint8Array(size);
  const view = new DataView(output.buffer);
  let at = 0;
  const offsets: number[] = [];
  for (const entry of entries) {
    offsets.push(at);
    view.setUint32(at, 0x04034b50, true);
    view.setUint16(at + 4, 20, true);
    writeCommonFields(view, at + 6, entry);
    view.setUint16(at + 28, 0, true);
    output.set(entry.rawName, at + 30);
    at += 30 + entry.rawName.length;
    output.set(entry.data, at);
    at += entry.data.length;
  }
  const directoryStart = at;
  entries.forEach((entry, index) => {
    view.setUint32(at, 0x02014b50, true);
    view.setUint16(at + 4, entry.source?.versionMadeBy ?? 20, true);
    view.setUint16(at + 6, 20, true);
    writeCommonFields(view, at + 8, entry);
    // Extra field, comment, disk number and internal attributes: none.
    view.setUint32(at + 30, 0, true);
    view.setUint32(at + 34, 0, true);
    view.setUint32(at + 38, entry.source?.externalAttributes ?? 0, true);
    view.setUint32(at + 42, offsets[index] as number, true);
    output.set(entry.rawName, at + 46);
    at += 46 + entry.rawName.length;
  });
  view.setUint32(at, 0x06054b50, true);
  view.setUint16(at + 8, entries.length, true);
  view.setUint16(at + 10, entries.length, true);
  view.setUint32(at + 12, at - directoryStart, true);
  view.setUint32(at + 16, directoryStart, true);
  return output;
}

/** Flags, method, time, date, CRC, sizes and name length: the same run in both header kinds. */
function writeCommonFields(view: DataView, at: number, entry: OutputEntry): void {
  // Keep only the UTF-8 name flag: sizes are now in the header, so no data descriptor follows.
  view.setUint16(at, (entry.source?.flags ?? 0x800) & 0x800, true);
  view.setUint16(at + 2, entry.method, true);
  view.setUint16(at + 4, entry.modTime, true);
  view.setUint16(at + 6, entry.modDate, true);
  view.setUint32(at + 8, entry.crc32, true);
  view.setUint32(at + 12, entry.data.length, true);
  view.setUint32(at + 16, entry.uncompressedSize, true);
  view.setUint16(at + 20, entry.rawName.length, true);
}
