/**
 * RawTags: the few tags exifhunt reads, as the file writes them, gathered from the blocks a
 * container holds — the EXIF/TIFF block (tiff-tags.ts), the XMP packet (xmp.ts) and the IPTC
 * record (iptc.ts). Pure; each reader looks only at the tags it needs, which is what makes triage
 * fast (docs/benchmarks.md). The deep pass's full dump is exifr's (dump.ts).
 */
import { NO_IPTC_TAGS, readIptc } from "./iptc.js";
import { readTiffTags, type TiffTags } from "./tiff-tags.js";
import { NO_XMP_TAGS, readXmp, type XmpHistoryEntry } from "./xmp.js";
import type { RecordWarning } from "../record.js";
import { joinWarnings, warning, xmpCutShort } from "./warnings.js";

export type { XmpHistoryEntry } from "./xmp.js";

/**
 * Tags as the file writes them (strings trimmed and cut at the first NUL, numbers finite), and the
 * damage the block readers recovered from (`warnings`).
 */
export interface RawTags extends Omit<TiffTags, "xmp" | "iptc"> {
  /** IPTC DateCreated (`YYYYMMDD`) and TimeCreated (`HHMMSS±HHMM`). */
  iptcDateCreated: string | null;
  iptcTimeCreated: string | null;
  // XMP (docs/authenticity.md).
  xmpCreateDate: string | null;
  photoshopDateCreated: string | null;
  creatorTool: string | null;
  xmpModifyDate: string | null;
  xmpMetadataDate: string | null;
  /** XMP xmpMM:History, oldest first. */
  history: XmpHistoryEntry[];
}

/** The metadata blocks a container holds; absent ones are null. */
export interface MetadataBlocks {
  /** An EXIF/TIFF block (for a TIFF file, the file itself). */
  tiff?: Uint8Array | null;
  xmp?: Uint8Array | null;
  /** IPTC-IIM datasets. */
  iptc?: Uint8Array | null;
  /** What the container says outside EXIF (PNG's IHDR size and Software text). */
  container?: { software?: string | null; width?: number | null; height?: number | null };
}

/** Reads the tags from a container's blocks. Where a TIFF's IFD0 carries XMP or IPTC, those count too. */
export function readRawTags(blocks: MetadataBlocks): RawTags {
  const tiff = readTiffTags(blocks.tiff ?? new Uint8Array(0));
  const xmpPacket = blocks.xmp ?? tiff.xmp;
  const iptcRecord = blocks.iptc ?? tiff.iptc;
  const xmp = xmpPacket === null ? NO_XMP_TAGS : readXmp(xmpPacket);
  const iptc = iptcRecord === null ? NO_IPTC_TAGS : readIptc(iptcRecord);
  const container = blocks.container ?? {};
  const warnings: readonly RecordWarning[] = xmpPacket !== null && xmpCutShort(xmpPacket)
    ? joinWarnings(tiff.warnings, [warning("truncated-xmp", `the ${String(xmpPacket.length)}-byte XMP packet stops before its closing </rdf:RDF>: the properties before the cut were read`)])
    : tiff.warnings;
  // Spelled out rather than spread: this runs once per photo, and a literal is one fast allocation.
  return {
    make: tiff.make,
    model: tiff.model,
    software: tiff.software ?? container.software ?? null,
    modifyDate: tiff.modifyDate,
    imageWidth: tiff.imageWidth ?? container.width ?? null,
    imageHeight: tiff.imageHeight ?? container.height ?? null,
    dateTimeOriginal: tiff.dateTimeOriginal,
    createDate: tiff.createDate,
    offsetTime: tiff.offsetTime,
    offsetTimeOriginal: tiff.offsetTimeOriginal,
    offsetTimeDigitized: tiff.offsetTimeDigitized,
    exifWidth: tiff.exifWidth,
    exifHeight: tiff.exifHeight,
    focalLength: tiff.focalLength,
    focalLength35mm: tiff.focalLength35mm,
    lensModel: tiff.lensModel,
    gpsDateStamp: tiff.gpsDateStamp,
    gpsTimeStamp: tiff.gpsTimeStamp,
    iptcDateCreated: iptc.dateCreated,
    iptcTimeCreated: iptc.timeCreated,
    xmpCreateDate: xmp.createDate,
    photoshopDateCreated: xmp.photoshopDateCreated,
    creatorTool: xmp.creatorTool,
    xmpModifyDate: xmp.modifyDate,
    xmpMetadataDate: xmp.metadataDate,
    history: xmp.history,
    warnings,
  };
}

/** No tags at all: a GIF, a BMP, a photo with no metadata blocks. */
export const NO_TAGS: RawTags = readRawTags({});
