/**
 * A tiny EXIF writer for tests: builds a little-endian TIFF block (IFD0 + EXIF IFD, ASCII tags)
 * and puts it in a JPEG's APP1 in place of the original, so a test can stage any Make, Model or
 * Software string (markup, huge, binary) over a real picture.
 */
import { walkJpeg } from "../src/extract/jpeg.js";

export interface ExifStrings {
  make?: string;
  model?: string;
  software?: string;
  /** `YYYY:MM:DD HH:MM:SS`. */
  dateTimeOriginal?: string;
}

const ASCII = 2;
const LONG = 4;

interface Entry {
  tag: number;
  type: typeof ASCII | typeof LONG;
  /** ASCII: the bytes with their NUL; LONG: filled in when laid out. */
  data: Buffer;
}

function ascii(tag: number, text: string): Entry {
  return { tag, type: ASCII, data: Buffer.concat([Buffer.from(text, "latin1"), Buffer.from([0])]) };
}

/** Lays out one IFD at `offset`: its entries, then the values that do not fit in 4 bytes. */
function ifd(entries: Entry[], offset: number): Buffer {
  entries.sort((a, b) => a.tag - b.tag);
  const tableSize = 2 + entries.length * 12 + 4;
  const table = Buffer.alloc(tableSize);
  const data: Buffer[] = [];
  let dataOffset = offset + tableSize;
  table.writeUInt16LE(entries.length, 0);
  entries.forEach((entry, index) => {
    const at = 2 + index * 12;
    table.writeUInt16LE(entry.tag, at);
    table.writeUInt16LE(entry.type, at + 2);
    const count = entry.type === ASCII ? entry.data.length : 1;
    table.writeUInt32LE(count, at + 4);
    if (entry.data.length <= 4) {
      entry.data.copy(table, at + 8);
    } else {
      table.writeUInt32LE(dataOffset, at + 8);
      const padded = entry.data.length % 2 === 1 ? Buffer.concat([entry.data, Buffer.from([0])]) : entry.data;
      data.push(padded);
      dataOffset += padded.length;
    }
  });
  table.writeUInt32LE(0, tableSize - 4);
  return Buffer.concat([table, ...data]);
}

/** A TIFF block (what follows `Exif\0\0` in APP1) holding the given strings. */
export function tiffBlock(tags: ExifStrings): Buffer {
  const ifd0: Entry[] = [];
  if (tags.make !== undefined) ifd0.push(ascii(0x010f, tags.make));
  if (tags.model !== undefined) ifd0.push(ascii(0x0110, tags.model));
  if (tags.software !== undefined) ifd0.push(ascii(0x0131, tags.software));
  const header = Buffer.from([0x49, 0x49, 0x2a, 0x00, 0x08, 0x00, 0x00, 0x00]);
  if (tags.dateTimeOriginal === undefined) return Buffer.concat([header, ifd(ifd0, 8)]);
  // The EXIF IFD follows IFD0; IFD0's size does not depend on the pointer's value.
  const pointer: Entry = { tag: 0x8769, type: LONG, data: Buffer.alloc(4) };
  const sizing = ifd([...ifd0, pointer], 8);
  pointer.data.writeUInt32LE(8 + sizing.length);
  const first = ifd([...ifd0, pointer], 8);
  const exif = ifd([ascii(0x9003, tags.dateTimeOriginal)], 8 + first.length);
  return Buffer.concat([header, first, exif]);
}

const APP1 = 0xe1;

/** The JPEG with its EXIF APP1 segments replaced by one holding `tags`. */
export function withExif(jpeg: Uint8Array, tags: ExifStrings): Buffer {
  const payload = Buffer.concat([Buffer.from("Exif\0\0", "latin1"), tiffBlock(tags)]);
  if (payload.length + 2 > 0xffff) throw new Error("EXIF block too large for one APP1 segment");
  const segment = Buffer.alloc(4);
  segment.writeUInt16BE(0xffe1, 0);
  segment.writeUInt16BE(payload.length + 2, 2);
  const keep: Buffer[] = [];
  const layout = walkJpeg(jpeg);
  let cursor = 2;
  for (const { marker, offset, length } of layout.segments) {
    const end = offset + 4 + length;
    const isExif = marker === APP1 && Buffer.from(jpeg.subarray(offset + 4, offset + 10)).toString("latin1") === "Exif\0\0";
    if (isExif) {
      keep.push(Buffer.from(jpeg.subarray(cursor, offset)));
      cursor = end;
    }
  }
  keep.push(Buffer.from(jpeg.subarray(cursor)));
  return Buffer.concat([Buffer.from([0xff, 0xd8]), segment, payload, ...keep]);
}
