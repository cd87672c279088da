/**
 * The camera's own tags from an EXIF/TIFF block: IFD0, the EXIF IFD and the GPS fix time, read
 * straight from the entries (tiff.ts) — only the handful of tags triage uses, each found by
 * number, no value of any other tag decoded. Pure: bytes in, fields out.
 */
import { EXIF_HEADER } from "./bytes.js";
import { APP1, type SegmentClaim } from "./jpeg-segments.js";
import type { RecordWarning } from "../record.js";
import { entryBytes, entryNumbers, entryText, ifdDamage, openTiff, pickEntries, TAG_EXIF_IFD, TAG_GPS_IFD, TagSet, valueOutside, type Tiff, type TiffEntry } from "./tiff.js";
import { NO_WARNINGS, warning } from "./warnings.js";

/** In a JPEG, the EXIF block is the payload of the first APP1 segment headed "Exif\0\0", after that header. */
export const EXIF_SEGMENT: SegmentClaim = { marker: APP1, header: EXIF_HEADER, keepHeader: false };

/** The TIFF-borne tags exifhunt reads, as written (strings trimmed and cut at the first NUL). */
export interface TiffTags {
  make: string | null;
  model: string | null;
  software: string | null;
  /** IFD0 DateTime, which ExifTool calls ModifyDate. */
  modifyDate: string | null;
  /** IFD0 ImageWidth / ImageLength (TIFF files). */
  imageWidth: number | null;
  imageHeight: number | null;
  dateTimeOriginal: string | null;
  /** EXIF DateTimeDigitized, which ExifTool calls CreateDate. */
  createDate: string | null;
  offsetTime: string | null;
  offsetTimeOriginal: string | null;
  offsetTimeDigitized: string | null;
  /** EXIF PixelXDimension / PixelYDimension. */
  exifWidth: number | null;
  exifHeight: number | null;
  focalLength: number | null;
  focalLength35mm: number | null;
  lensModel: string | null;
  /** GPS IFD: the fix's UTC date (`YYYY:MM:DD`) and time (`HH:MM:SS`, from three rationals). */
  gpsDateStamp: string | null;
  gpsTimeStamp: string | null;
  /** IFD0 XMP packet (TIFF files keep XMP in tag 700 rather than in a segment). */
  xmp: Uint8Array | null;
  /** IFD0 IPTC-NAA record (tag 33723): raw IIM datasets, whatever type the writer labelled them. */
  iptc: Uint8Array | null;
  /** Damage met on the way (a truncated IFD, a pointer or value past the block's end). */
  warnings: readonly RecordWarning[];
}

export const NO_TIFF_TAGS: TiffTags = {
  make: null,
  model: null,
  software: null,
  modifyDate: null,
  imageWidth: null,
  imageHeight: null,
  dateTimeOriginal: null,
  createDate: null,
  offsetTime: null,
  offsetTimeOriginal: null,
  offsetTimeDigitized: null,
  exifWidth: null,
  exifHeight: null,
  focalLength: null,
  focalLength35mm: null,
  lensModel: null,
  gpsDateStamp: null,
  gpsTimeStamp: null,
  xmp: null,
  iptc: null,
  warnings: NO_WARNINGS,
};

// Tag numbers: TIFF 6.0, EXIF 2.32 (CIPA DC-008).
const IFD0 = { imageWidth: 0x0100, imageHeight: 0x0101, make: 0x010f, model: 0x0110, software: 0x0131, dateTime: 0x0132, xmp: 0x02bc, iptc: 0x83bb };
const EXIF = {
  dateTimeOriginal: 0x9003,
  dateTimeDigitized: 0x9004,
  offsetTime: 0x9010,
  offsetTimeOriginal: 0x9011,
  offsetTimeDigitized: 0x9012,
  focalLength: 0x920a,
  pixelXDimension: 0xa002,
  pixelYDimension: 0xa003,
  focalLength35mm: 0xa405,
  lensModel: 0xa434,
};
const GPS = { timeStamp: 0x0007, dateStamp: 0x001d };

const WANTED_IFD0 = new TagSet([...Object.values(IFD0), TAG_EXIF_IFD, TAG_GPS_IFD]);
const WANTED_EXIF = new TagSet(Object.values(EXIF));
const WANTED_GPS = new TagSet(Object.values(GPS));

/**
 * The wanted entries of the IFD a pointer entry leads to (pointerOffset) (a repeated tag is a writer's bug: the
 * first one counts); none when the pointer is missing or points outside.
 */
function pointedIfd(tiff: Tiff, offset: number | undefined, wanted: TagSet): Map<number, TiffEntry> {
  return offset === undefined ? new Map<number, TiffEntry>() : pickEntries(tiff, offset, wanted);
}

function text(tiff: Tiff, entries: Map<number, TiffEntry>, tag: number): string | null {
  const entry = entries.get(tag);
  return entry === undefined ? null : entryText(tiff, entry);
}

function firstNumber(tiff: Tiff, entries: Map<number, TiffEntry>, tag: number): number | null {
  const entry = entries.get(tag);
  const value = entry === undefined ? undefined : entryNumbers(tiff, entry)[0];
  return value !== undefined && Number.isFinite(value) ? value : null;
}

function bytes(tiff: Tiff, entries: Map<number, TiffEntry>, tag: number): Uint8Array | null {
  const entry = entries.get(tag);
  return entry === undefined ? null : entryBytes(tiff, entry);
}

/** GPSTimeStamp is three rationals (hours, minutes, seconds): `HH:MM:SS`. */
function gpsTime(tiff: Tiff, entries: Map<number, TiffEntry>): string | null {
  const entry = entries.get(GPS.timeStamp);
  if (entry?.count !== 3) return null;
  const parts = entryNumbers(tiff, entry);
  if (parts.length !== 3 || !parts.every(Number.isFinite)) return null;
  return parts.map((n) => String(Math.floor(n)).padStart(2, "0")).join(":");
}

function pointerOffset(tiff: Tiff, pointer: TiffEntry | undefined): number | undefined {
  return pointer === undefined ? undefined : entryNumbers(tiff, pointer)[0];
}

/**
 * The damage in one IFD triage read, added to `warnings` (created on the first): the IFD's own
 * bounds, and the wanted entries whose values lie past the block's end (they read as absent).
 * Checked after the tags are read, on the dozen entries picked, so an undamaged block costs a few
 * comparisons and no allocation.
 */
function ifdWarnings(tiff: Tiff, name: string, offset: number | undefined, entries: Map<number, TiffEntry>, warnings: RecordWarning[] | null): RecordWarning[] | null {
  if (offset === undefined) return warnings;
  const size = String(tiff.bytes.length);
  const damage = ifdDamage(tiff, offset);
  if (damage?.kind === "outside") {
    return [...(warnings ?? []), warning("offset-out-of-range", `${name} lies at offset ${String(offset)}, outside the ${size}-byte EXIF block: its tags were not read`)];
  }
  let found = warnings;
  if (damage?.kind === "truncated") {
    found = [...(found ?? []), warning("truncated-ifd", `${name} at offset ${String(offset)} declares ${String(damage.declared)} entries but the ${size}-byte EXIF block holds ${String(damage.read)}: those were read`)];
  }
  let lost: string[] | null = null;
  for (const entry of entries.values()) {
    if (valueOutside(tiff, entry)) (lost ??= []).push(`0x${entry.tag.toString(16).padStart(4, "0")}`);
  }
  if (lost !== null) {
    found = [...(found ?? []), warning("offset-out-of-range", `${name} tag ${lost.join(", ")} points past the end of the ${size}-byte EXIF block: its value was not read`)];
  }
  return found;
}

/** Reads the camera tags of a TIFF block (starting `II*\0` or `MM\0*`); none when it is not one. */
export function readTiffTags(block: Uint8Array): TiffTags {
  const tiff = openTiff(block);
  if (tiff === null) return NO_TIFF_TAGS;
  const ifd0 = pickEntries(tiff, tiff.firstIfd, WANTED_IFD0);
  const exifOffset = pointerOffset(tiff, ifd0.get(TAG_EXIF_IFD));
  const gpsOffset = pointerOffset(tiff, ifd0.get(TAG_GPS_IFD));
  const exif = pointedIfd(tiff, exifOffset, WANTED_EXIF);
  const gps = pointedIfd(tiff, gpsOffset, WANTED_GPS);
  let found = ifdWarnings(tiff, "IFD0", tiff.firstIfd, ifd0, null);
  found = ifdWarnings(tiff, "the EXIF IFD", exifOffset, exif, found);
  found = ifdWarnings(tiff, "the GPS IFD", gpsOffset, gps, found);
  const warnings = found ?? NO_WARNINGS;
  return {
    make: text(tiff, ifd0, IFD0.make),
    model: text(tiff, ifd0, IFD0.model),
    software: text(tiff, ifd0, IFD0.software),
    modifyDate: text(tiff, ifd0, IFD0.dateTime),
    imageWidth: firstNumber(tiff, ifd0, IFD0.imageWidth),
    imageHeight: firstNumber(tiff, ifd0, IFD0.imageHeight),
    dateTimeOriginal: text(tiff, exif, EXIF.dateTimeOriginal),
    createDate: text(tiff, exif, EXIF.dateTimeDigitized),
    offsetTime: text(tiff, exif, EXIF.offsetTime),
    offsetTimeOriginal: text(tiff, exif, EXIF.offsetTimeOriginal),
    offsetTimeDigitized: text(tiff, exif, EXIF.offsetTimeDigitized),
    exifWidth: firstNumber(tiff, exif, EXIF.pixelXDimension),
    exifHeight: firstNumber(tiff, exif, EXIF.pixelYDimension),
    focalLength: firstNumber(tiff, exif, EXIF.focalLength),
    focalLength35mm: firstNumber(tiff, exif, EXIF.focalLength35mm),
    lensModel: text(tiff, exif, EXIF.lensModel),
    gpsDateStamp: text(tiff, gps, GPS.dateStamp),
    gpsTimeStamp: gpsTime(tiff, gps),
    xmp: bytes(tiff, ifd0, IFD0.xmp),
    iptc: bytes(tiff, ifd0, IFD0.iptc),
    warnings,
  };
}
