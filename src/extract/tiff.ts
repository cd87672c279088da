/**
 * A minimal, pure TIFF/EXIF structure reader: where the IFDs and their entries are inside an EXIF
 * block, and their values as text or numbers. tiff-tags.ts reads the camera's tags with it; the
 * maker note reader uses the byte offsets (Sony's point into the TIFF block, not into the note).
 */
import { byteText, latin1, utf8 } from "./bytes.js";

export interface TiffEntry {
  tag: number;
  type: number;
  count: number;
  /** Offset in the TIFF block of the entry itself (12 bytes). */
  entryOffset: number;
  /** Offset in the TIFF block of the value: inside the entry when it fits in 4 bytes. */
  valueOffset: number;
  /** Bytes the value takes. */
  byteLength: number;
}

export interface Tiff {
  bytes: Uint8Array;
  view: DataView;
  littleEndian: boolean;
  /** Offset of IFD0. */
  firstIfd: number;
}

/** Bytes per value of each TIFF field type (BYTE … DOUBLE, IFD). */
const TYPE_SIZES: Readonly<Record<number, number>> = {
  1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 6: 1, 7: 1, 8: 2, 9: 4, 10: 8, 11: 4, 12: 8, 13: 4,
};

export const TAG_EXIF_IFD = 0x8769;
export const TAG_GPS_IFD = 0x8825;
export const TAG_MAKER_NOTE = 0x927c;

/** Opens a TIFF block (starting `II*\0` or `MM\0*`); null when it is not one. */
export function openTiff(bytes: Uint8Array): Tiff | null {
  if (bytes.length < 8) return null;
  const order = String.fromCharCode(bytes[0] ?? 0, bytes[1] ?? 0);
  if (order !== "II" && order !== "MM") return null;
  const littleEndian = order === "II";
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint16(2, littleEndian) !== 42) return null;
  return { bytes, view, littleEndian, firstIfd: view.getUint32(4, littleEndian) };
}

function entryAt(tiff: Tiff, entryOffset: number): TiffEntry {
  const { view, littleEndian } = tiff;
  const type = view.getUint16(entryOffset + 2, littleEndian);
  const valueCount = view.getUint32(entryOffset + 4, littleEndian);
  const byteLength = (TYPE_SIZES[type] ?? 1) * valueCount;
  const valueOffset = byteLength <= 4 ? entryOffset + 8 : view.getUint32(entryOffset + 8, littleEndian);
  return { tag: view.getUint16(entryOffset, littleEndian), type, count: valueCount, entryOffset, valueOffset, byteLength };
}

/** Where the entries of the IFD at `offset` start, and how many lie inside the block. */
function ifdBounds(tiff: Tiff, offset: number): { first: number; count: number } {
  const { view, littleEndian } = tiff;
  if (offset < 8 || offset + 2 > view.byteLength) return { first: 0, count: 0 };
  const count = Math.min(view.getUint16(offset, littleEndian), Math.floor((view.byteLength - offset - 2) / 12));
  return { first: offset + 2, count };
}

/**
 * What is wrong with the IFD at `offset`, for the warnings channel: it lies outside the block
 * (nothing of it was read), or it declares more entries than the block holds (those inside were
 * read, as ifdBounds does); null when it lies whole inside.
 */
export function ifdDamage(tiff: Tiff, offset: number): { kind: "outside" } | { kind: "truncated"; declared: number; read: number } | null {
  const { view, littleEndian } = tiff;
  if (offset < 8 || offset + 2 > view.byteLength) return { kind: "outside" };
  const declared = view.getUint16(offset, littleEndian);
  const read = ifdBounds(tiff, offset).count;
  return read < declared ? { kind: "truncated", declared, read } : null;
}

/** Whether an entry's value lies past the end of the block (entryBytes would give null). */
export function valueOutside(tiff: Tiff, entry: TiffEntry): boolean {
  return entry.valueOffset + entry.byteLength > tiff.bytes.length;
}

/** The offset of the IFD that follows the one at `offset` (IFD1 after IFD0); null when there is none. */
export function nextIfd(tiff: Tiff, offset: number): number | null {
  const { first, count } = ifdBounds(tiff, offset);
  const pointer = first + count * 12;
  if (first === 0 || pointer + 4 > tiff.view.byteLength) return null;
  const next = tiff.view.getUint32(pointer, tiff.littleEndian);
  return next === 0 || next === offset ? null : next;
}

/** The entries of the IFD at `offset` (an empty list when it lies outside the block). */
export function readIfd(tiff: Tiff, offset: number): TiffEntry[] {
  const { first, count } = ifdBounds(tiff, offset);
  const entries: TiffEntry[] = [];
  for (let i = 0; i < count; i++) entries.push(entryAt(tiff, first + i * 12));
  return entries;
}

/**
 * Tag numbers a reader wants, as one bit per possible tag (8 KiB): pickEntries asks for every
 * entry of every IFD it walks, and a bit costs less to test than a Set's hash.
 */
export class TagSet {
  readonly #bits = new Uint8Array(65_536 / 8);

  constructor(tags: Iterable<number>) {
    for (const tag of tags) this.#bits[tag >>> 3] = (this.#bits[tag >>> 3] ?? 0) | (1 << (tag & 7));
  }

  /** Whether `tag` (0 to 65535, as an IFD entry's) is one of them. */
  has(tag: number): boolean {
    return ((this.#bits[tag >>> 3] ?? 0) & (1 << (tag & 7))) !== 0;
  }
}

/**
 * The entries of the IFD at `offset` whose tags are in `wanted`, the first of each; the others
 * are skipped by their tag number alone (triage reads a dozen tags out of IFDs of fifty).
 */
export function pickEntries(tiff: Tiff, offset: number, wanted: TagSet): Map<number, TiffEntry> {
  const { first, count } = ifdBounds(tiff, offset);
  const picked = new Map<number, TiffEntry>();
  for (let i = 0; i < count; i++) {
    const at = first + i * 12;
    const tag = tiff.view.getUint16(at, tiff.littleEndian);
    if (wanted.has(tag) && !picked.has(tag)) picked.set(tag, entryAt(tiff, at));
  }
  return picked;
}

/** The first entry of the IFD at `offset` with tag `tag`, found without building the others; null when none. */
export function findEntry(tiff: Tiff, offset: number, tag: number): TiffEntry | null {
  const { first, count } = ifdBounds(tiff, offset);
  for (let i = 0; i < count; i++) {
    const at = first + i * 12;
    if (tiff.view.getUint16(at, tiff.littleEndian) === tag) return entryAt(tiff, at);
  }
  return null;
}

/** The bytes of an entry's value; null when they lie outside the block. */
export function entryBytes(tiff: Tiff, entry: TiffEntry): Uint8Array | null {
  const end = entry.valueOffset + entry.byteLength;
  return end <= tiff.bytes.length ? tiff.bytes.subarray(entry.valueOffset, end) : null;
}

/** The IFD a pointer tag (Exif IFD, GPS IFD) in `entries` points at. */
export function subIfd(tiff: Tiff, entries: readonly TiffEntry[], tag: number): TiffEntry[] {
  const pointer = entries.find((entry) => entry.tag === tag);
  if (pointer === undefined || pointer.valueOffset + 4 > tiff.view.byteLength) return [];
  return readIfd(tiff, tiff.view.getUint32(pointer.valueOffset, tiff.littleEndian));
}

/** The MakerNote entry of an EXIF block, if any (two IFD scans by tag number, nothing built on the way). */
export function findMakerNote(tiff: Tiff): TiffEntry | null {
  const pointer = findEntry(tiff, tiff.firstIfd, TAG_EXIF_IFD);
  if (pointer === null || pointer.valueOffset + 4 > tiff.view.byteLength) return null;
  return findEntry(tiff, tiff.view.getUint32(pointer.valueOffset, tiff.littleEndian), TAG_MAKER_NOTE);
}

/**
 * An entry's value as text, cut at the first NUL and trimmed (as ExifTool does: the rest is padding
 * or garbage); null when empty or out of the block. ASCII fields are decoded as UTF-8 (phones write
 * UTF-8 there), byte fields (UNDEFINED, BYTE) as Latin-1, one character per byte.
 */
export function entryText(tiff: Tiff, entry: TiffEntry): string | null {
  const start = entry.valueOffset;
  const end = start + entry.byteLength;
  const { bytes } = tiff;
  if (end > bytes.length) return null;
  const nul = bytes.indexOf(0, start);
  const stop = nul === -1 || nul > end ? end : nul;
  let ascii = true;
  for (let i = start; i < stop; i++) {
    if ((bytes[i] ?? 0) >= 0x80) {
      ascii = false;
      break;
    }
  }
  // Nearly every value is ASCII, which every decoder reads alike: sliced straight from the block.
  const text = ascii ? byteText(bytes, start, stop) : (entry.type === 2 ? utf8 : latin1).decode(bytes.subarray(start, stop));
  const trimmed = text.trim();
  return trimmed === "" ? null : trimmed;
}

/** The numeric values of an entry (integers, rationals as quotients, floats); [] when it holds none. */
export function entryNumbers(tiff: Tiff, entry: TiffEntry): number[] {
  const size = TYPE_SIZES[entry.type];
  if (size === undefined || entry.type === 2 || entry.type === 7) return [];
  if (entry.valueOffset + entry.byteLength > tiff.view.byteLength) return [];
  const { view, littleEndian: le } = tiff;
  // Only the first few values are ever wanted; a corrupt count must not cost a long loop.
  const count = Math.min(entry.count, 16);
  const values: number[] = [];
  for (let i = 0; i < count; i++) {
    const at = entry.valueOffset + i * size;
    switch (entry.type) {
      case 1: values.push(view.getUint8(at)); break;
      case 3: values.push(view.getUint16(at, le)); break;
      case 4: case 13: values.push(view.getUint32(at, le)); break;
      case 5: values.push(view.getUint32(at, le) / view.getUint32(at + 4, le)); break;
      case 6: values.push(view.getInt8(at)); break;
      case 8: values.push(view.getInt16(at, le)); break;
      case 9: values.push(view.getInt32(at, le)); break;
      case 10: values.push(view.getInt32(at, le) / view.getInt32(at + 4, le)); break;
      case 11: values.push(view.getFloat32(at, le)); break;
      case 12: values.push(view.getFloat64(at, le)); break;
    }
  }
  return values;
}
