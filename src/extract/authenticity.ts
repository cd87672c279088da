/**
 * What a file says beyond its camera claim, for the authenticity checks (docs/authenticity.md):
 * every date it records, the editing trail in XMP, the maker note's format and own records, the
 * EXIF pixel size against the real one, and the JPEG quantization fingerprint. Pure.
 */
import type { ImageInfo } from "../record.js";
import { normalizeDateTime, normalizeIptcDateTime } from "./dates.js";
import type { RawTags, XmpHistoryEntry } from "./tags.js";
import type { MakerNoteInfo } from "./makernote.js";
import type { KnownTables } from "./quantization.js";
import type { PixelSize } from "./sample.js";

export type { XmpHistoryEntry } from "./tags.js";
export type { MakerNoteFormat, MakerNoteInfo } from "./makernote.js";
export type { KnownTables } from "./quantization.js";

/** Dates as `YYYY-MM-DDTHH:MM:SS`, with `±HH:MM` when the file says the zone. */
export interface EvidenceDates {
  /** EXIF DateTimeOriginal (with OffsetTimeOriginal): when the camera says it shot. */
  dateTimeOriginal: string | null;
  /** EXIF CreateDate / DateTimeDigitized (with OffsetTimeDigitized). */
  createDate: string | null;
  /** IFD0 ModifyDate / DateTime (with OffsetTime): when the file was last written. */
  modifyDate: string | null;
  /** The maker note's own capture time (Sony). */
  makerNote: string | null;
  /** The GPS fix time, UTC. */
  gps: string | null;
  xmpCreateDate: string | null;
  photoshopDateCreated: string | null;
  /** IPTC DateCreated + TimeCreated. */
  iptcCreated: string | null;
  xmpModifyDate: string | null;
  xmpMetadataDate: string | null;
}

export interface Quantization {
  fingerprint: string;
  known: KnownTables | null;
}

export interface Evidence {
  dates: EvidenceDates;
  /** XMP xmp:CreatorTool: the software that made the file (a phone writes its firmware here too). */
  creatorTool: string | null;
  history: XmpHistoryEntry[];
  makerNote: MakerNoteInfo | null;
  /** EXIF PixelXDimension × PixelYDimension: the size the metadata was written for. */
  exifSize: PixelSize | null;
  /** The real pixel size from the container (JPEG SOF, WebP VP8X); null when not read. */
  frame: PixelSize | null;
  quantization: Quantization | null;
  /**
   * Room for the HTTP Last-Modified of a photo read from a URL (`YYYY-MM-DDTHH:MM:SS+00:00`, see
   * fromHttpDate). Extraction always leaves it null and no rule reads it: a URL's Last-Modified
   * reaches the rules as the publication (AnalysisInputs.published, from the URL's chain of
   * custody), and analyze/published.ts compares the capture time with it.
   */
  httpLastModified: string | null;
}

export const NO_EVIDENCE: Evidence = {
  dates: {
    dateTimeOriginal: null,
    createDate: null,
    modifyDate: null,
    makerNote: null,
    gps: null,
    xmpCreateDate: null,
    photoshopDateCreated: null,
    iptcCreated: null,
    xmpModifyDate: null,
    xmpMetadataDate: null,
  },
  creatorTool: null,
  history: [],
  makerNote: null,
  exifSize: null,
  frame: null,
  quantization: null,
  httpLastModified: null,
};

function gpsInstant(date: string | null, time: string | null): string | null {
  if (date === null || time === null) return null;
  return normalizeDateTime(`${date} ${time}`, "Z");
}

function size(width: number | null, height: number | null): PixelSize | null {
  return width !== null && height !== null && width > 0 && height > 0 ? { width, height } : null;
}

export function toEvidence(
  tags: RawTags,
  frame: PixelSize | null,
  makerNote: MakerNoteInfo | null,
  quantization: Quantization | null,
): Evidence {
  return {
    dates: {
      dateTimeOriginal: normalizeDateTime(tags.dateTimeOriginal, tags.offsetTimeOriginal ?? tags.offsetTime),
      createDate: normalizeDateTime(tags.createDate, tags.offsetTimeDigitized ?? tags.offsetTime),
      modifyDate: normalizeDateTime(tags.modifyDate, tags.offsetTime),
      makerNote: makerNote?.date ?? null,
      gps: gpsInstant(tags.gpsDateStamp, tags.gpsTimeStamp),
      xmpCreateDate: normalizeDateTime(tags.xmpCreateDate),
      photoshopDateCreated: normalizeDateTime(tags.photoshopDateCreated),
      iptcCreated: normalizeIptcDateTime(tags.iptcDateCreated, tags.iptcTimeCreated),
      xmpModifyDate: normalizeDateTime(tags.xmpModifyDate),
      xmpMetadataDate: normalizeDateTime(tags.xmpMetadataDate),
    },
    creatorTool: tags.creatorTool,
    history: tags.history,
    makerNote,
    exifSize: size(tags.exifWidth, tags.exifHeight),
    frame,
    quantization,
    httpLastModified: null,
  };
}

/** An HTTP date (`Tue, 22 Oct 2013 14:05:11 GMT`) as evidence dates are written; null if unreadable. */
export function fromHttpDate(header: string | null): string | null {
  if (header === null) return null;
  const time = Date.parse(header);
  if (Number.isNaN(time)) return null;
  return `${new Date(time).toISOString().slice(0, 19)}+00:00`;
}

/** The record's `image` block. */
export function imageInfo(evidence: Evidence): ImageInfo {
  return {
    quantization: evidence.quantization?.fingerprint ?? null,
    quantizationTables: evidence.quantization?.known?.encoder ?? null,
  };
}
