/**
 * A pure ISO-BMFF (HEIF/HEIC) box walker: where a file's EXIF lies. The `meta` box lists the
 * file's items; `iinf` names the one of type `Exif` and `iloc` says where its bytes are
 * (ISO/IEC 23008-12 §9.2 and Annex A, ISO/IEC 14496-12 §8.11). Triage needs the top-level box
 * headers, `meta` and the Exif item, not the coded image in `mdat`, which is most of the file.
 * Where they lie varies: iPhones write `meta` first and the Exif item just after it; Samsung phones
 * write `mdat` first and `meta` at the very end. So the walk works over the pieces read so far and,
 * when it needs bytes it does not have, says which range to read next.
 */
import { asciiAt } from "./bytes.js";

/** A byte range of the file. */
export interface ByteRange {
  offset: number;
  length: number;
}

/** Bytes read from a file at an offset (the triage prefix is the piece at 0). */
export interface BytePiece {
  offset: number;
  bytes: Uint8Array;
}

export type IsoBmffWalk =
  /** Read this range and walk again with it among the pieces. */
  | { kind: "need"; range: ByteRange }
  /**
   * The Exif item's bytes (a 4-byte offset to the TIFF header, then TIFF); null when there is none.
   * `cut`: the top-level box that runs past the end of the file, if one does (a truncated file).
   */
  | { kind: "done"; exif: Uint8Array | null; cut: { type: string; offset: number } | null }
  | { kind: "corrupt"; reason: string };

/**
 * How much to read for a top-level box header met past the pieces: 16 bytes would do, but the box
 * is usually `meta` itself (a few KiB), and one larger read saves a round trip over HTTP.
 */
export const HEADER_READ_BYTES = 4096;

/** The bytes of a range when one piece holds all of it; null otherwise. */
export function bytesIn(pieces: readonly BytePiece[], range: ByteRange): Uint8Array | null {
  const end = range.offset + range.length;
  for (const piece of pieces) {
    if (piece.offset <= range.offset && piece.offset + piece.bytes.length >= end) {
      return piece.bytes.subarray(range.offset - piece.offset, end - piece.offset);
    }
  }
  return null;
}

function viewOf(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** Reads an unsigned big-endian integer of 0, 2, 4 or 8 bytes (iloc's variable-size fields). */
function readUint(view: DataView, offset: number, size: number): number {
  switch (size) {
    case 0:
      return 0;
    case 2:
      return view.getUint16(offset);
    case 4:
      return view.getUint32(offset);
    case 8:
      // Offsets past 2^53 are not real files; Number keeps them comparable, if imprecise.
      return Number(view.getBigUint64(offset));
    default:
      throw new RangeError(`iloc field size ${String(size)}`);
  }
}

interface Box {
  type: string;
  /** Offset of the payload (after size, type and any 64-bit size), relative to the bytes parsed. */
  start: number;
  /** Offset just past the box, relative to the bytes parsed; `limit` for a box that runs to the end. */
  end: number;
}

/** The box whose header starts at `offset`; null when the header is cut off or malformed. */
function boxAt(bytes: Uint8Array, offset: number, limit: number): Box | null {
  if (offset + 8 > bytes.length) return null;
  // Read by hand, not through a DataView: one box after another, a view each cost more than the box.
  const size = (bytes[offset] ?? 0) * 0x1000000 + (((bytes[offset + 1] ?? 0) << 16) | ((bytes[offset + 2] ?? 0) << 8) | (bytes[offset + 3] ?? 0));
  const type = asciiAt(bytes, offset + 4);
  if (size === 1) {
    if (offset + 16 > bytes.length) return null;
    const large = Number(viewOf(bytes).getBigUint64(offset + 8));
    return large < 16 ? null : { type, start: offset + 16, end: offset + large };
  }
  if (size === 0) return { type, start: offset + 8, end: limit };
  return size < 8 ? null : { type, start: offset + 8, end: offset + size };
}

function children(bytes: Uint8Array, start: number, end: number): Box[] {
  const boxes: Box[] = [];
  for (let offset = start; offset < end; ) {
    const box = boxAt(bytes, offset, end);
    if (box === null || box.end > end) break;
    boxes.push(box);
    offset = box.end;
  }
  return boxes;
}

/** The first item whose `infe` entry (version 2 or 3: the ones with an item_type) says `Exif`. */
function exifItemId(meta: Uint8Array, iinf: Box): number | null {
  const view = viewOf(meta);
  const version = view.getUint8(iinf.start);
  const entriesStart = iinf.start + 4 + (version === 0 ? 2 : 4);
  for (const infe of children(meta, entriesStart, iinf.end)) {
    if (infe.type !== "infe") continue;
    const infeVersion = view.getUint8(infe.start);
    if (infeVersion < 2) continue;
    const idSize = infeVersion === 2 ? 2 : 4;
    const typeOffset = infe.start + 4 + idSize + 2;
    if (typeOffset + 4 > infe.end) continue;
    if (asciiAt(meta, typeOffset) === "Exif") return readUint(view, infe.start + 4, idSize);
  }
  return null;
}

/** Where an item's bytes start in the file and how long its first extent is (iloc). */
function itemRange(meta: Uint8Array, iloc: Box, wanted: number, fileSize: number): ByteRange | null {
  const view = viewOf(meta);
  const version = view.getUint8(iloc.start);
  let p = iloc.start + 4;
  const sizes = view.getUint8(p);
  const more = view.getUint8(p + 1);
  const offsetSize = sizes >> 4;
  const lengthSize = sizes & 0x0f;
  const baseOffsetSize = more >> 4;
  const indexSize = version === 1 || version === 2 ? more & 0x0f : 0;
  p += 2;
  const itemCount = version < 2 ? view.getUint16(p) : view.getUint32(p);
  p += version < 2 ? 2 : 4;
  for (let item = 0; item < itemCount; item++) {
    const id = version < 2 ? view.getUint16(p) : view.getUint32(p);
    p += version < 2 ? 2 : 4;
    let constructionMethod = 0;
    if (version === 1 || version === 2) {
      constructionMethod = view.getUint16(p) & 0x0f;
      p += 2;
    }
    p += 2; // data_reference_index
    const baseOffset = readUint(view, p, baseOffsetSize);
    p += baseOffsetSize;
    const extentCount = view.getUint16(p);
    p += 2;
    if (id === wanted && extentCount > 0) {
      // Method 1 points into `idat`, 2 at other items; every HEIC seen stores EXIF in the file
      // (method 0), which is all exifr reads too. The TIFF block lies in the first extent.
      if (constructionMethod !== 0) return null;
      p += indexSize;
      const offset = baseOffset + readUint(view, p, offsetSize);
      const length = readUint(view, p + offsetSize, lengthSize);
      return { offset, length: length === 0 ? fileSize - offset : length };
    }
    p += extentCount * (indexSize + offsetSize + lengthSize);
  }
  return null;
}

/** The Exif item's range, from a whole `meta` box; null when the file has none. */
function exifRange(meta: Uint8Array, fileSize: number): ByteRange | null {
  // meta is a FullBox: version and flags come before its children.
  const boxes = children(meta, 4, meta.length);
  const iinf = boxes.find((box) => box.type === "iinf");
  const iloc = boxes.find((box) => box.type === "iloc");
  if (iinf === undefined || iloc === undefined) return null;
  const id = exifItemId(meta, iinf);
  return id === null ? null : itemRange(meta, iloc, id, fileSize);
}

/**
 * Walks an ISO-BMFF file over the pieces read so far (the prefix among them) to its Exif item.
 * Each call either finds it, finds there is none, or names the next range to read.
 */
export function walkIsoBmff(pieces: readonly BytePiece[], fileSize: number): IsoBmffWalk {
  let offset = 0;
  let cut: { type: string; offset: number } | null = null;
  while (offset + 8 <= fileSize) {
    const head = bytesIn(pieces, { offset, length: Math.min(16, fileSize - offset) });
    if (head === null) {
      return { kind: "need", range: { offset, length: Math.min(HEADER_READ_BYTES, fileSize - offset) } };
    }
    const box = boxAt(head, 0, fileSize - offset);
    if (box === null) return { kind: "corrupt", reason: `malformed box header at byte ${String(offset)}` };
    const end = Math.min(offset + box.end, fileSize);
    if (offset + box.end > fileSize) cut ??= { type: box.type, offset };
    if (box.type !== "meta") {
      offset = end;
      continue;
    }
    const meta = bytesIn(pieces, { offset: offset + box.start, length: end - offset - box.start });
    if (meta === null) return { kind: "need", range: { offset, length: end - offset } };
    let range: ByteRange | null;
    try {
      range = exifRange(meta, fileSize);
    } catch (error: unknown) {
      // DataView throws RangeError when a box claims more than it holds.
      if (error instanceof RangeError) return { kind: "corrupt", reason: `malformed meta box: ${error.message}` };
      throw error;
    }
    if (range === null) return { kind: "done", exif: null, cut };
    const exif = bytesIn(pieces, range);
    return exif === null ? { kind: "need", range } : { kind: "done", exif, cut };
  }
  return { kind: "done", exif: null, cut };
}
