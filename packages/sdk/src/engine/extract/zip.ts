import { Inflate } from 'fflate';
import { ExtractionError } from '../errors.js';
import type { ExtractionLimits } from '../types.js';

/** One entry of a zip archive's central directory, as declared (not yet trusted). */
export interface ZipEntry {
  /** The entry's path inside the archive, as stored. */
  name: string;
  /** The stored name's bytes, so a rewritten archive can keep them unchanged. */
  rawName: Uint8Array;
  /** 0 (stored) or 8 (deflate); anything else is refused. */
  method: number;
  /** General-purpose flags of the central directory record. */
  flags: number;
  /** CRC-32 of the uncompressed content. */
  crc32: number;
  /** Size of the stored (compressed) data, in bytes. */
  compressedSize: number;
  /** Declared size once inflated, in bytes. */
  uncompressedSize: number;
  /** DOS modification time, as stored. */
  modTime: number;
  /** DOS modification date, as stored. */
  modDate: number;
  /** "Version made by", as stored. */
  versionMadeBy: number;
  /** External (file system) attributes, as stored. */
  externalAttributes: number;
  /** Where the entry's local header starts. */
  localHeaderOffset: number;
}

/** A zip archive whose directory passed the safety limits; entries inflate on demand. */
export interface ZipArchive {
  /** Every entry, in central directory order. */
  readonly entries: readonly ZipEntry[];
  /** The entry at `path` (case-insensitive, as in Open Packaging Conventions), if any. */
  find(path: string): ZipEntry | undefined;
  /** The inflated content of `path`, or null when there is no such entry. */
  read(path: string): Uint8Array | null;
  /** The entry's stored (still compressed) data. */
  storedData(entry: ZipEntry): Uint8Array;
}

/** Entries smaller than this once inflated are exempt from the ratio check (tiny parts compress wildly). */
const RATIO_GRACE_BYTES = 1024 * 1024;
/** Compressed bytes fed to the inflater at a time: bounds how far a lying entry can overshoot. */
const INFLATE_CHUNK_BYTES = 16 * 1024;

const EOCD_SIGNATURE = 0x06054b50;
const ZIP64_LOCATOR_SIGNATURE = 0x07064b50;
const ZIP64_EOCD_SIGNATURE = 0x06064b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const LOCAL_SIGNATURE = 0x04034b50;

const utf8 = new TextDecoder('utf-8');

/**
 * Reads a zip archive's central directory and checks it against `limits` before anything is
 * inflated: entry count, declared total size and per-entry compression ratio. Inflating an entry
 * later also enforces its real size, since declared sizes can lie.
 */
export function openZip(bytes: Uint8Array, limits: ExtractionLimits): ZipArchive {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const directory = readEndOfCentralDirectory(bytes, view);
  if (directory.count > limits.maxZipEntries) {
    throw new ExtractionError(
      'archive_too_many_entries',
      `The archive has ${directory.count} entries; the limit is ${limits.maxZipEntries}.`,
      { hint: 'Check the file is a genuine document; raise maxZipEntries if it is.' },
    );
  }
  const entries = readCentralDirectory(bytes, view, directory);
  checkDeclaredSizes(entries, limits);
  const byName = new Map<string, ZipEntry>();
  for (const entry of entries) {
    const key = normalisePath(entry.name);
    if (!byName.has(key)) byName.set(key, entry);
  }
  const storedData = (entry: ZipEntry) => locateStoredData(bytes, view, entry);
  return {
    entries,
    find: (path) => byName.get(normalisePath(path)),
    read(path) {
      const entry = byName.get(normalisePath(path));
      return entry ? inflateEntry(entry, storedData(entry)) : null;
    },
    storedData,
  };
}

function normalisePath(path: string): string {
  return (path.startsWith('/') ? path.slice(1) : path).toLowerCase();
}

function corrupt(message: string): ExtractionError {
  return new ExtractionError('document_corrupt', message, {
    hint: 'The file is damaged or incomplete; open it in its editor and save it again.',
  });
}

interface DirectoryLocation {
  count: number;
  offset: number;
  size: number;
}

function readEndOfCentralDirectory(bytes: Uint8Array, view: DataView): DirectoryLocation {
  const lowest = Math.max(0, bytes.length - 22 - 0xffff);
  for (let at = bytes.length - 22; at >= lowest; at--) {
    if (view.getUint32(at, true) !== EOCD_SIGNATURE) continue;
    let count = view.getUint16(at + 10, true);
    let size = view.getUint32(at + 12, true);
    let offset = view.getUint32(at + 16, true);
    if (count === 0xffff || size === 0xffffffff || offset === 0xffffffff) {
      const zip64 = readZip64EndOfCentralDirectory(view, at);
      count = zip64.count;
      size = zip64.size;
      offset = zip64.offset;
    }
    if (offset + size > at) throw corrupt('The zip central directory lies outside the file.');
    return { count, offset, size };
  }
  throw corrupt('The file is not a zip archive, or it is truncated (no central directory).');
}

function readZip64EndOfCentralDirectory(view: DataView, eocdAt: number): DirectoryLocation {
  const locatorAt = eocdAt - 20;
  if (locatorAt < 0 || view.getUint32(locatorAt, true) !== ZIP64_LOCATOR_SIGNATURE) {
    throw corrupt('The zip64 directory locator is missing.');
  }
  const recordAt = readUint64(view, locatorAt + 8);
  if (recordAt + 56 > view.byteLength || view.getUint32(recordAt, true) !== ZIP64_EOCD_SIGNATURE) {
    throw corrupt('The zip64 end of central directory is missing.');
  }
  return {
    count: readUint64(view, recordAt + 32),
    size: readUint64(view, recordAt + 40),
    offset: readUint64(view, recordAt + 48),
  };
}

function readUint64(view: DataView, at: number): number {
  return view.getUint32(at, true) + view.getUint32(at + 4, true) * 2 ** 32;
}

function readCentralDirectory(
  bytes: Uint8Array,
  view: DataView,
  directory: DirectoryLocation,
): ZipEntry[] {
  const entries: ZipEntry[] = [];
  let at = directory.offset;
  for (let index = 0; index < directory.count; index++) {
    if (at + 46 > bytes.length || view.getUint32(at, true) !== CENTRAL_SIGNATURE) {
      throw corrupt('The zip central directory is damaged.');
    }
    const nameLength = view.getUint16(at + 28, true);
    const extraLength = view.getUint16(at + 30, true);
    const commentLength = view.getUint16(at + 32, true);
    const end = at + 46 + nameLength + extraLength + commentLength;
    if (end > bytes.length) throw corrupt('The zip central directory is damaged.');
    const rawName = bytes.subarray(at + 46, at + 46 + nameLength);
    const entry: ZipEntry = {
      name: utf8.decode(rawName),
      rawName,
      versionMadeBy: view.getUint16(at + 4, true),
      flags: view.getUint16(at + 8, true),
      method: view.getUint16(at + 10, true),
      modTime: view.getUint16(at + 12, true),
      modDate: view.getUint16(at + 14, true),
      crc32: view.getUint32(at + 16, true),
      compressedSize: view.getUint32(at + 20, true),
      uncompressedSize: view.getUint32(at + 24, true),
      externalAttributes: view.getUint32(at + 38, true),
      localHeaderOffset: view.getUint32(at + 42, true),
    };
    applyZip64Extra(entry, view, at + 46 + nameLength, extraLength);
    entries.push(entry);
    at = end;
  }
  return entries;
}

/** Replaces 0xFFFFFFFF size/offset fields with their values from the zip64 extra field. */
function applyZip64Extra(entry: ZipEntry, view: DataView, extraAt: number, length: number): void {
  const saturated = 0xffffffff;
  if (
    entry.uncompressedSize !== saturated &&
    entry.compressedSize !== saturated &&
    entry.localHeaderOffset !== saturated
  ) {
    return;
  }
  for (let at = extraAt; at + 4 <= extraAt + length; ) {
    const id = view.getUint16(at, true);
    const size = view.getUint16(at + 2, true);
    if (id === 0x0001) {
      let field = at + 4;
      const next = () => {
        if (field + 8 > at + 4 + size) throw corrupt('A zip64 extra field is truncated.');
        const value = readUint64(view, field);
        field += 8;
        return value;
      };
      if (entry.uncompressedSize === saturated) entry.uncompressedSize = next();
      if (entry.compressedSize === saturated) entry.compressedSize = next();
      if (entry.localHeaderOffset === saturated) entry.localHeaderOffset = next();
      return;
    }
    at += 4 + size;
  }
  throw corrupt('A zip64 entry has no zip64 extra field.');
}

function checkDeclaredSizes(entries: readonly ZipEntry[], limits: ExtractionLimits): void {
  let total = 0;
  for (const entry of entries) {
    if (entry.flags & 0x1) {
      throw new ExtractionError(
        'document_encrypted',
        `The archive entry ${entry.name} is encrypted.`,
        {
          hint: 'Remove the password (save an unprotected copy) and try again.',
        },
      );
    }
    if (entry.method !== 0 && entry.method !== 8) {
      throw corrupt(
        `The archive entry ${entry.name} uses unsupported compression (${entry.method}).`,
      );
    }
    if (entry.method === 0 && entry.compressedSize !== entry.uncompressedSize) {
      throw corrupt(`The stored archive entry ${entry.name} declares two different sizes.`);
    }
    if (
      entry.uncompressedSize > RATIO_GRACE_BYTES &&
      entry.uncompressedSize > entry.compressedSize * limits.maxCompressionRatio
    ) {
      const ratio = Math.round(entry.uncompressedSize / Math.max(1, entry.compressedSize));
      throw new ExtractionError(
        'archive_ratio_exceeded',
        `The archive entry ${entry.name} expands ${ratio} times; the limit is ${limits.maxCompressionRatio}.`,
        { hint: 'This looks like a zip bomb; check where the file came from.' },
      );
    }
    total += entry.uncompressedSize;
    if (total > limits.maxUncompressedBytes) {
      throw new ExtractionError(
        'archive_too_large',
        `The archive expands to more than ${limits.maxUncompressedBytes} bytes.`,
        { hint: 'Split the document, or raise maxUncompressedBytes if it is genuine.' },
      );
    }
  }
}

function locateStoredData(bytes: Uint8Array, view: DataView, entry: ZipEntry): Uint8Array {
  const at = entry.localHeaderOffset;
  if (at + 30 > bytes.length || view.getUint32(at, true) !== LOCAL_SIGNATURE) {
    throw corrupt(`The local header of ${entry.name} is missing.`);
  }
  const start = at + 30 + view.getUint16(at + 26, true) + view.getUint16(at + 28, true);
  const end = start + entry.compressedSize;
  if (end > bytes.length) throw corrupt(`The data of ${entry.name} is truncated.`);
  return bytes.subarray(start, end);
}

/**
 * Inflates one entry in bounded chunks, refusing output past the declared size (the check that
 * stops an entry lying about its size) and output short of it (a damaged entry).
 */
function inflateEntry(entry: ZipEntry, stored: Uint8Array): Uint8Array {
  if (entry.method === 0) return stored;
  const output = new Uint8Array(entry.uncompressedSize);
  let written = 0;
  const inflater = new Inflate((chunk) => {
    if (written + chunk.length > output.length) {
      throw new ExtractionError(
        'archive_too_large',
        `The archive entry ${entry.name} inflates past the ${entry.uncompressedSize} bytes it declares.`,
        { hint: 'This looks like a zip bomb; check where the file came from.' },
      );
    }
    output.set(chunk, written);
    written += chunk.length;
  });
  try {
    for (let at = 0; at < stored.length; at += INFLATE_CHUNK_BYTES) {
      const end = Math.min(at + INFLATE_CHUNK_BYTES, stored.length);
      inflater.push(stored.subarray(at, end), end === stored.length);
    }
  } catch (error) {
    if (error instanceof ExtractionError) throw error;
    throw corrupt(`The archive entry ${entry.name} cannot be inflated.`);
  }
  if (written !== output.length) throw corrupt(`The archive entry ${entry.name} is truncated.`);
  return output;
}
