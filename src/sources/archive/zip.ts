/**
 * Zip archives read in place. yauzl reads the central directory (ZIP64 included) through a
 * RandomAccessReader over the archive's OpenedSource, so the same code reads a local file, an
 * entry of another archive or, by Range requests, a URL. Entries are then read by entry.ts, in
 * any order and concurrently. When the central directory is missing (a truncated download) the
 * local headers are walked from the start instead, and the archive gets an error record too.
 */
import { Readable } from "node:stream";
import yauzl from "yauzl";
import type { ArchiveCustody } from "../../record.js";
import { SourceError, type OpenedSource } from "../types.js";
import { DeflatedEntry, StoredEntry, type EntryData } from "./entry.js";

/** Read ahead when yauzl reads the central directory in small pieces (46 bytes, then the name). */
const BLOCK_BYTES = 64 * 1024;
/**
 * Bytes of data read along with a local header, so that triage's first read needs no other: its
 * 64 KiB for a stored entry, the compressed bytes of its first 16 KiB for a deflated one.
 */
const PRELOAD_BYTES = { stored: 64 * 1024, deflated: 16 * 1024 + 4096 };
const LOCAL_HEADER_BYTES = 30;
const LOCAL_HEADER_SIGNATURE = 0x04034b50;
/** A central directory bigger than this holds millions of entries: a hostile archive, not a dump. */
export const MAX_ZIP_ENTRIES = 1_000_000;

const METHODS: Record<number, string> = { 0: "stored", 8: "deflate", 9: "deflate64", 12: "bzip2", 14: "LZMA", 93: "Zstandard", 95: "xz", 98: "PPMd", 99: "AES encryption" };

/** One entry as the central directory (or a local header) describes it. */
export interface ZipEntry {
  index: number;
  /** Decoded as the archive says (UTF-8 flag, Info-ZIP Unicode path, else CP437); not yet made safe. */
  name: string;
  flags: number;
  method: number;
  crc32: number;
  compressedSize: number;
  size: number;
  localHeaderOffset: number;
  modified: string | null;
  /** Directories and symbolic links: nothing to read (a link is never followed). */
  notAFile: boolean;
  /** Why the entry cannot be read, when the directory already says so. */
  problem: { code: "encrypted-entry" | "unsupported-archive" | "corrupt-archive"; message: string } | null;
}

/** yauzl's reads, served from the archive's OpenedSource with a little read-ahead. */
class SourceReader extends yauzl.RandomAccessReader {
  readonly #opened: OpenedSource;
  #block: Uint8Array = new Uint8Array(0);
  #blockStart = 0;

  constructor(opened: OpenedSource) {
    super();
    this.#opened = opened;
  }

  async #bytes(position: number, length: number): Promise<Uint8Array> {
    const start = position - this.#blockStart;
    if (start >= 0 && start + length <= this.#block.length) return this.#block.subarray(start, start + length);
    const bytes = await this.#opened.read(position, Math.max(length, BLOCK_BYTES));
    this.#block = bytes;
    this.#blockStart = position;
    return bytes.subarray(0, length);
  }

  override read(buffer: Buffer, offset: number, length: number, position: number, callback: (err: Error | null, bytesRead?: number) => void): void {
    this.#bytes(position, length).then(
      (bytes) => {
        buffer.set(bytes, offset);
        callback(null, bytes.length);
      },
      (error: unknown) => {
        callback(error instanceof Error ? error : new Error(String(error)));
      },
    );
  }

  override _readStreamForRange(start: number, end: number): Readable {
    const opened = this.#opened;
    return Readable.from(
      (async function* () {
        for (let offset = start; offset < end; ) {
          const chunk = await opened.read(offset, Math.min(BLOCK_BYTES, end - offset));
          if (chunk.length === 0) return;
          offset += chunk.length;
          yield chunk;
        }
      })(),
    );
  }
}

function pad(value: number, width = 2): string {
  return String(value).padStart(width, "0");
}

/** MS-DOS date and time (local time, 2-second steps) as `YYYY-MM-DDTHH:MM:SS`; null when unset or invalid. */
export function dosDateTime(date: number, time: number): string | null {
  const year = 1980 + (date >> 9);
  const month = (date >> 5) & 0xf;
  const day = date & 0x1f;
  if (date === 0 || month < 1 || month > 12 || day < 1) return null;
  return `${pad(year, 4)}-${pad(month)}-${pad(day)}T${pad(time >> 11)}:${pad((time >> 5) & 0x3f)}:${pad((time & 0x1f) * 2)}`;
}

function problemOf(flags: number, method: number, compressedSize: number, size: number): ZipEntry["problem"] {
  // Bit 0: encrypted (ZipCrypto, or AES with method 99); bit 6: PKWARE strong encryption.
  if ((flags & 0x41) !== 0 || method === 99) {
    return { code: "encrypted-entry", message: `is encrypted (${method === 99 ? "WinZip AES" : (flags & 0x40) !== 0 ? "PKWARE strong encryption" : "ZipCrypto"}): exifhunt reads no password-protected entries; extract it with the password first` };
  }
  if (method !== 0 && method !== 8) {
    return { code: "unsupported-archive", message: `is compressed with ${METHODS[method] ?? `method ${String(method)}`}, which exifhunt does not read (it reads stored and deflated entries)` };
  }
  if (method === 0 && compressedSize !== size) {
    return { code: "corrupt-archive", message: `is stored uncompressed, yet the archive says it is ${String(size)} bytes and takes ${String(compressedSize)}: the central directory lies` };
  }
  return null;
}

function isNotAFile(name: string, externalAttributes: number, madeBy: number): boolean {
  if (name.endsWith("/")) return true;
  // Made on Unix (high byte of "version made by" 3): the high 16 bits of the attributes are st_mode.
  const mode = madeBy >> 8 === 3 ? externalAttributes >>> 16 : 0;
  return mode !== 0 && (mode & 0o170000) !== 0o100000;
}

/** The entries of a zip's central directory; throws when it cannot be read, after the entries that could. */
export async function* centralDirectory(archive: OpenedSource, size: number): AsyncGenerator<ZipEntry> {
  const reader = new SourceReader(archive);
  const zip = await yauzl.fromRandomAccessReaderPromise(reader, size, {
    lazyEntries: true,
    autoClose: false,
    // Names are decoded below without yauzl's check, which refuses `../` and absolute names and
    // so the whole archive: they are only shown, never used as paths.
    decodeStrings: false,
    // Sizes are checked entry by entry (problemOf), so that one lying entry is one error record.
    validateEntrySizes: false,
  });
  if (zip.entryCount > MAX_ZIP_ENTRIES) {
    zip.close();
    throw new SourceError("archive-limit", `its central directory claims ${String(zip.entryCount)} entries, more than the ${String(MAX_ZIP_ENTRIES)} exifhunt reads from one zip`);
  }
  let index = 0;
  try {
    for await (const entry of zip.eachEntry()) {
      const name = yauzl.getFileNameLowLevel(entry.generalPurposeBitFlag, entry.fileNameRaw, entry.extraFields, false);
      yield {
        index: index++,
        name,
        flags: entry.generalPurposeBitFlag,
        method: entry.compressionMethod,
        crc32: entry.crc32,
        compressedSize: entry.compressedSize,
        size: entry.uncompressedSize,
        localHeaderOffset: entry.relativeOffsetOfLocalHeader,
        modified: dosDateTime(entry.lastModFileDate, entry.lastModFileTime),
        notAFile: isNotAFile(name, entry.externalFileAttributes, entry.versionMadeBy),
        problem: problemOf(entry.generalPurposeBitFlag, entry.compressionMethod, entry.compressedSize, entry.uncompressedSize),
      };
    }
  } finally {
    zip.close();
  }
}

/**
 * Entries found by walking local headers from the start: what a truncated zip (no central
 * directory) still holds. Stops at the first entry whose size only a data descriptor after its
 * data would tell, or where the bytes stop being local headers.
 */
export async function* localHeaders(archive: OpenedSource, size: number): AsyncGenerator<ZipEntry> {
  let offset = 0;
  for (let index = 0; index < MAX_ZIP_ENTRIES && offset + LOCAL_HEADER_BYTES <= size; index++) {
    const header = Buffer.from(await archive.read(offset, LOCAL_HEADER_BYTES));
    if (header.length < LOCAL_HEADER_BYTES || header.readUInt32LE(0) !== LOCAL_HEADER_SIGNATURE) return;
    const flags = header.readUInt16LE(6);
    const method = header.readUInt16LE(8);
    const nameLength = header.readUInt16LE(26);
    const extraLength = header.readUInt16LE(28);
    const variable = Buffer.from(await archive.read(offset + LOCAL_HEADER_BYTES, nameLength + extraLength));
    const extraFields = yauzl.parseExtraFields(variable.subarray(nameLength));
    let compressedSize = header.readUInt32LE(18);
    let entrySize = header.readUInt32LE(22);
    const zip64 = extraFields.find((field) => field.id === 0x0001);
    if (zip64 !== undefined && zip64.data.length >= 16) {
      if (entrySize === 0xffffffff) entrySize = Number(zip64.data.readBigUInt64LE(0));
      if (compressedSize === 0xffffffff) compressedSize = Number(zip64.data.readBigUInt64LE(8));
    }
    // Bit 3: sizes and CRC follow the data; without them the next header's place is unknown.
    if ((flags & 0x08) !== 0 && compressedSize === 0) return;
    const name = yauzl.getFileNameLowLevel(flags, variable.subarray(0, nameLength), extraFields, false);
    yield {
      index,
      name,
      flags,
      method,
      crc32: header.readUInt32LE(14),
      compressedSize,
      size: entrySize,
      localHeaderOffset: offset,
      modified: dosDateTime(header.readUInt16LE(12), header.readUInt16LE(10)),
      notAFile: name.endsWith("/"),
      problem: problemOf(flags, method, compressedSize, entrySize),
    };
    offset += LOCAL_HEADER_BYTES + nameLength + extraLength + compressedSize;
  }
}

/**
 * Marks entries whose data overlaps an earlier entry's: the trick of the overlapping zip bomb
 * (one kernel of compressed data shared by thousands of directory entries, see
 * https://www.bamsoftware.com/hacks/zipbomb/), and of entries that claim bytes past the archive.
 */
export function markOverlaps(entries: ZipEntry[], end: number): void {
  const order = entries.filter((entry) => !entry.notAFile).sort((a, b) => a.localHeaderOffset - b.localHeaderOffset);
  let reach = 0;
  let owner: ZipEntry | null = null;
  for (const entry of order) {
    // The local header's fixed part and name at least; its extra field may differ from the directory's.
    const entryEnd = entry.localHeaderOffset + LOCAL_HEADER_BYTES + entry.compressedSize;
    if (owner !== null && entry.localHeaderOffset < reach) {
      entry.problem ??= { code: "corrupt-archive", message: `shares its bytes with entry ${String(owner.index)}: overlapping entries are how zip bombs multiply one compressed kernel, so it is not read` };
      continue;
    }
    if (entryEnd > end) {
      entry.problem ??= { code: "corrupt-archive", message: `claims ${String(entry.compressedSize)} bytes at offset ${String(entry.localHeaderOffset)}, past the end of the archive's data (${String(end)}): the directory lies or the archive is truncated` };
    }
    reach = Math.max(reach, entryEnd);
    owner = entry;
  }
}

/** Opens an entry: reads its local header (and the head of its data in the same read). */
export async function openZipEntry(archive: OpenedSource, entry: ZipEntry, id: string, release: () => void): Promise<OpenedSource> {
  // The local header's name and extra field are those of the directory in all but odd archives.
  const headers = LOCAL_HEADER_BYTES + entry.name.length * 4 + 64;
  const preload = entry.method === 0 ? PRELOAD_BYTES.stored : PRELOAD_BYTES.deflated;
  const first = Buffer.from(await archive.read(entry.localHeaderOffset, headers + preload));
  if (first.length < LOCAL_HEADER_BYTES || first.readUInt32LE(0) !== LOCAL_HEADER_SIGNATURE) {
    release();
    throw new SourceError("corrupt-archive", `${id}: no local header at offset ${String(entry.localHeaderOffset)}, where the central directory says the entry is`);
  }
  const dataStart = entry.localHeaderOffset + LOCAL_HEADER_BYTES + first.readUInt16LE(26) + first.readUInt16LE(28);
  const data: EntryData = {
    id,
    archive,
    dataStart,
    compressedSize: entry.compressedSize,
    size: entry.size,
    crc32: entry.crc32,
    preload: first.subarray(Math.min(first.length, dataStart - entry.localHeaderOffset)),
    release,
  };
  return entry.method === 0 ? new StoredEntry(data) : new DeflatedEntry(data);
}

export function zipCustody(entry: ZipEntry, container: string, root: string, position: number[], shownName: string): ArchiveCustody {
  return {
    container,
    root,
    format: "zip",
    entry: shownName,
    position,
    size: entry.size,
    compressedSize: entry.compressedSize,
    crc32: entry.crc32.toString(16).padStart(8, "0"),
    modified: entry.modified,
    method: METHODS[entry.method] ?? `method ${String(entry.method)}`,
  };
}
