/**
 * A small zip writer for the tests: well-formed archives (stored, deflated, ZIP64 fields) and the
 * hostile ones no tool writes on purpose (lying directories, overlapping entries, encrypted flags).
 * Written from the format's specification (PKWARE APPNOTE.TXT 4.3), not from the reader it tests.
 */
import { closeSync, openSync, writeSync } from "node:fs";
import { crc32, createDeflateRaw, deflateRawSync } from "node:zlib";

export interface ZipEntrySpec {
  /** A string is written as UTF-8 with the UTF-8 flag; raw bytes are written as they are. */
  name: string | Uint8Array;
  data: Uint8Array;
  method?: 0 | 8;
  /** Extra general-purpose flag bits (1: encrypted). */
  flags?: number;
  /** Writes sizes and offset as 0xffffffff with a ZIP64 extra field, as for entries past 4 GiB. */
  zip64?: boolean;
}

export interface ZipOptions {
  /** Changes the central directory records after they are made (lies, overlaps). */
  directory?: (records: DirectoryRecord[]) => DirectoryRecord[];
  /** Entry count written in the end record, when it should lie. */
  count?: number;
}

export interface DirectoryRecord {
  name: Uint8Array;
  flags: number;
  method: number;
  crc: number;
  compressedSize: number;
  size: number;
  offset: number;
  zip64: boolean;
}

function u16(value: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16LE(value);
  return b;
}

function u32(value: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(value >>> 0);
  return b;
}

function u64(value: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(BigInt(value));
  return b;
}

/** 2014-02-11 10:00:00 in MS-DOS form. */
const DOS_TIME = (10 << 11) | (0 << 5) | 0;
const DOS_DATE = ((2014 - 1980) << 9) | (2 << 5) | 11;

function localHeader(record: DirectoryRecord): Buffer {
  const extra = record.zip64 ? Buffer.concat([u16(1), u16(16), u64(record.size), u64(record.compressedSize)]) : Buffer.alloc(0);
  return Buffer.concat([
    u32(0x04034b50), u16(record.zip64 ? 45 : 20), u16(record.flags), u16(record.method), u16(DOS_TIME), u16(DOS_DATE),
    u32(record.crc), u32(record.zip64 ? 0xffffffff : record.compressedSize), u32(record.zip64 ? 0xffffffff : record.size),
    u16(record.name.length), u16(extra.length), Buffer.from(record.name), extra,
  ]);
}

function directoryHeader(record: DirectoryRecord): Buffer {
  const extra = record.zip64 ? Buffer.concat([u16(1), u16(24), u64(record.size), u64(record.compressedSize), u64(record.offset)]) : Buffer.alloc(0);
  return Buffer.concat([
    u32(0x02014b50), u16((3 << 8) | 45), u16(record.zip64 ? 45 : 20), u16(record.flags), u16(record.method), u16(DOS_TIME), u16(DOS_DATE),
    u32(record.crc), u32(record.zip64 ? 0xffffffff : record.compressedSize), u32(record.zip64 ? 0xffffffff : record.size),
    u16(record.name.length), u16(extra.length), u16(0), u16(0), u16(0), u32((0o100644 << 16) >>> 0),
    u32(record.zip64 ? 0xffffffff : record.offset), Buffer.from(record.name), extra,
  ]);
}

function endRecords(count: number, directoryOffset: number, directorySize: number, zip64: boolean): Buffer {
  const end = Buffer.concat([u32(0x06054b50), u16(0), u16(0), u16(Math.min(count, 0xffff)), u16(Math.min(count, 0xffff)), u32(directorySize), u32(zip64 ? 0xffffffff : directoryOffset), u16(0)]);
  if (!zip64) return end;
  const zip64End = Buffer.concat([u32(0x06064b50), u64(44), u16(45), u16(45), u32(0), u32(0), u64(count), u64(count), u64(directorySize), u64(directoryOffset)]);
  const locator = Buffer.concat([u32(0x07064b50), u32(0), u64(directoryOffset + directorySize), u32(1)]);
  return Buffer.concat([zip64End, locator, end]);
}

function nameBytes(name: string | Uint8Array): { bytes: Uint8Array; utf8: boolean } {
  return typeof name === "string" ? { bytes: Buffer.from(name, "utf8"), utf8: true } : { bytes: name, utf8: false };
}

/** A zip of the given entries, in memory. */
export function buildZip(entries: readonly ZipEntrySpec[], options: ZipOptions = {}): Buffer {
  const parts: Buffer[] = [];
  let offset = 0;
  let records: DirectoryRecord[] = [];
  for (const entry of entries) {
    const method = entry.method ?? 8;
    const stored = method === 8 ? deflateRawSync(entry.data) : Buffer.from(entry.data);
    const { bytes, utf8 } = nameBytes(entry.name);
    const record: DirectoryRecord = {
      name: bytes,
      flags: (entry.flags ?? 0) | (utf8 ? 0x800 : 0),
      method,
      crc: crc32(entry.data),
      compressedSize: stored.length,
      size: entry.data.length,
      offset,
      zip64: entry.zip64 ?? false,
    };
    const header = localHeader(record);
    parts.push(header, stored);
    offset += header.length + stored.length;
    records.push(record);
  }
  if (options.directory !== undefined) records = options.directory(records);
  const directory = Buffer.concat(records.map(directoryHeader));
  const zip64 = records.some((record) => record.zip64);
  return Buffer.concat([...parts, directory, endRecords(options.count ?? records.length, offset, directory.length, zip64)]);
}

/** Writes a zip of many entries to `path` one entry at a time (a benchmark's 2,000 photos). */
export function writeZipFile(path: string, entries: Iterable<ZipEntrySpec>, level = 6): void {
  const fd = openSync(path, "w");
  try {
    let offset = 0;
    const records: DirectoryRecord[] = [];
    for (const entry of entries) {
      const method = entry.method ?? 8;
      const stored = method === 8 ? deflateRawSync(entry.data, { level }) : Buffer.from(entry.data);
      const { bytes, utf8 } = nameBytes(entry.name);
      const record: DirectoryRecord = { name: bytes, flags: (entry.flags ?? 0) | (utf8 ? 0x800 : 0), method, crc: crc32(entry.data), compressedSize: stored.length, size: entry.data.length, offset, zip64: entry.zip64 ?? false };
      offset += writeSync(fd, localHeader(record));
      offset += writeSync(fd, stored);
      records.push(record);
    }
    const directory = Buffer.concat(records.map(directoryHeader));
    writeSync(fd, directory);
    writeSync(fd, endRecords(records.length, offset, directory.length, records.some((record) => record.zip64)));
  } finally {
    closeSync(fd);
  }
}

/**
 * Writes a deflate bomb to `path` without holding it: `head` (a real photo's first bytes) followed
 * by `zeros` zero bytes, deflated as a stream, plus ordinary entries after it. Zeros deflate at
 * about 1000:1, so 2 GiB of them take some 2 MiB.
 */
export async function writeBombZip(path: string, bomb: { name: string; head: Uint8Array; zeros: number }, others: readonly ZipEntrySpec[]): Promise<void> {
  const fd = openSync(path, "w");
  try {
    const name = Buffer.from(bomb.name, "utf8");
    const placeholder: DirectoryRecord = { name, flags: 0x800, method: 8, crc: 0, compressedSize: 0, size: 0, offset: 0, zip64: false };
    let position = writeSync(fd, localHeader(placeholder), 0, undefined, 0);
    const dataStart = position;
    const deflater = createDeflateRaw({ level: 9 });
    let crc = crc32(bomb.head);
    const written = new Promise<void>((resolve, reject) => {
      deflater.on("data", (chunk: Buffer) => {
        position += writeSync(fd, chunk, 0, chunk.length, position);
      });
      deflater.on("end", resolve);
      deflater.on("error", reject);
    });
    deflater.write(bomb.head);
    const block = Buffer.alloc(1 << 20);
    for (let left = bomb.zeros; left > 0; left -= block.length) {
      const piece = left >= block.length ? block : block.subarray(0, left);
      crc = crc32(piece, crc);
      if (!deflater.write(piece)) await new Promise((resolve) => deflater.once("drain", resolve));
    }
    deflater.end();
    await written;
    const record: DirectoryRecord = { ...placeholder, crc, compressedSize: position - dataStart, size: bomb.head.length + bomb.zeros };
    writeSync(fd, localHeader(record), 0, undefined, 0);
    const rest = buildZip(others);
    // The other entries' local headers and data, moved after the bomb; their directory rebuilt.
    const restDirectoryStart = rest.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    const restLocal = restDirectoryStart < 0 ? rest.subarray(0, 0) : rest.subarray(0, restDirectoryStart);
    const shift = position;
    position += writeSync(fd, restLocal, 0, restLocal.length, position);
    const records = [record, ...othersRecords(others, shift)];
    const directory = Buffer.concat(records.map(directoryHeader));
    const directoryOffset = position;
    position += writeSync(fd, directory, 0, directory.length, position);
    const end = endRecords(records.length, directoryOffset, directory.length, false);
    writeSync(fd, end, 0, end.length, position);
  } finally {
    closeSync(fd);
  }
}

function othersRecords(others: readonly ZipEntrySpec[], shift: number): DirectoryRecord[] {
  let offset = shift;
  return others.map((entry) => {
    const method = entry.method ?? 8;
    const stored = method === 8 ? deflateRawSync(entry.data) : Buffer.from(entry.data);
    const { bytes, utf8 } = nameBytes(entry.name);
    const record: DirectoryRecord = { name: bytes, flags: (entry.flags ?? 0) | (utf8 ? 0x800 : 0), method, crc: crc32(entry.data), compressedSize: stored.length, size: entry.data.length, offset, zip64: entry.zip64 ?? false };
    offset += localHeader(record).length + stored.length;
    return record;
  });
}
