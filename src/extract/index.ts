/**
 * bytes -> CameraSample. Pure with respect to the outside world: takes bytes, never paths.
 * Per-container work (finding the metadata, the real pixel size) happens here; tag parsing is
 * exifr's, behind exif-tags.ts.
 */
import type { Metadata } from "sharp";
import type { CameraSample } from "../record.js";
import { NO_EVIDENCE, toEvidence, type Evidence, type Quantization } from "./evidence.js";
import { readRawTags, type RawTags } from "./exif-tags.js";
import { detectFormat, type ImageFormat } from "./format.js";
import { walkIsoBmff, type ByteRange, type BytePiece } from "./isobmff.js";
import { hasXmpOrIptc, jpegExifTiff, walkJpeg, type JpegLayout } from "./jpeg.js";
import { readMakerNote } from "./makernote.js";
import { knownTables, quantizationFingerprint, readQuantizationTables } from "./quantization.js";
import { walkWebp } from "./riff.js";
import { toCameraSample, type PixelSize } from "./sample.js";

export { detectFormat, type ImageFormat } from "./format.js";
export { imageInfo, NO_EVIDENCE, type Evidence } from "./evidence.js";
export type { ByteRange, BytePiece } from "./isobmff.js";

/** Thrown when a file is an image but its metadata cannot be parsed. */
export class MetadataError extends Error {
  override name = "MetadataError";
}

export interface Extraction {
  format: ImageFormat;
  sample: CameraSample;
  /** What the authenticity checks read beyond the camera claim. */
  evidence: Evidence;
}

/**
 * How many bytes from the start of a file hold its metadata, judged from a prefix of it.
 * Returns a number <= prefix.length when the prefix is enough. JPEG headers are walked; HEIC needs
 * no more prefix than triage reads, since its metadata is fetched by range (nextMetadataRange);
 * other containers can put metadata anywhere (TIFF IFDs, PNG chunks after the pixels), so they are
 * read whole.
 */
export function metadataExtent(prefix: Uint8Array, format: ImageFormat, fileSize: number): number {
  if (format === "heic") return prefix.length;
  if (format !== "jpeg") return fileSize;
  const layout = walkJpeg(prefix);
  return layout.headerEnd ?? Math.min(layout.needAtLeast, fileSize);
}

/**
 * JPEG APP segments whose payload exifhunt's parsers read: APP1 (EXIF, XMP) and APP13 (Photoshop's
 * IPTC). A parser that reads another segment (an ICC profile in APP2 …) must add its marker here,
 * or triage will hand it zeros where that segment runs past what it read.
 */
export const READ_APP_MARKERS: ReadonlySet<number> = new Set([0xe1, 0xed]);

/**
 * When a JPEG prefix ends inside an APP segment no parser reads (an ICC profile split over APP2
 * segments, a phone vendor's APP4 or APP6 blob: up to 64 KiB each, often several), the part of it
 * past the prefix. Triage skips that span instead of reading it (the bytes it leaves are zeros, which
 * no parser sees) and walks on from the segment's end: the next header, and SOF for the frame size,
 * come at the cost of a small read, not of the blob. Null when the prefix does not end in such a
 * segment.
 */
export function skippableSpan(prefix: Uint8Array, format: ImageFormat): ByteRange | null {
  if (format !== "jpeg") return null;
  const layout = walkJpeg(prefix);
  const last = layout.segments.at(-1);
  if (layout.headerEnd !== null || last === undefined) return null;
  const end = last.offset + 4 + last.length;
  const isApp = last.marker >= 0xe0 && last.marker <= 0xef;
  if (end <= prefix.length || !isApp || READ_APP_MARKERS.has(last.marker)) return null;
  return { offset: prefix.length, length: end - prefix.length };
}

/**
 * The next range past the prefix that holds metadata, given the pieces read so far; null when
 * nothing more is needed. Only HEIC has any: its `meta` box and Exif item can lie megabytes in
 * (Samsung phones write them after the image data), and reading them by range spares the rest.
 */
export function nextMetadataRange(prefix: Uint8Array, pieces: readonly BytePiece[], format: ImageFormat, fileSize: number): ByteRange | null {
  if (format !== "heic") return null;
  const walk = walkIsoBmff([{ offset: 0, bytes: prefix }, ...pieces], fileSize);
  return walk.kind === "need" ? walk.range : null;
}

/** What triage read past the prefix (nextMetadataRange's ranges), and the whole file's size. */
export interface Beyond {
  pieces: readonly BytePiece[];
  fileSize: number;
}

const EMPTY_TAGS: RawTags = {
  make: null,
  model: null,
  software: null,
  dateTimeOriginal: null,
  createDate: null,
  modifyDate: null,
  offsetTimeOriginal: null,
  offsetTimeDigitized: null,
  offsetTime: null,
  exifWidth: null,
  exifHeight: null,
  imageWidth: null,
  imageHeight: null,
  focalLength: null,
  focalLength35mm: null,
  lensModel: null,
  iptcDateCreated: null,
  iptcTimeCreated: null,
  xmpCreateDate: null,
  photoshopDateCreated: null,
  gpsDateStamp: null,
  gpsTimeStamp: null,
  creatorTool: null,
  xmpModifyDate: null,
  xmpMetadataDate: null,
  history: [],
};

async function parseTags(bytes: Uint8Array, hasSidecar: boolean | null = null): Promise<RawTags> {
  try {
    const { tags } = await readRawTags(bytes, hasSidecar);
    return tags;
  } catch (error: unknown) {
    // exifr throws "Unknown file format" for a container it cannot open and on damaged headers.
    throw new MetadataError(error instanceof Error ? error.message : String(error), { cause: error });
  }
}

/** sharp reads AVIF (and any HEIF exifr rejects) and hands back the raw EXIF block. */
async function tagsViaSharp(bytes: Uint8Array): Promise<{ tags: RawTags; frame: PixelSize; tiff: Uint8Array | null }> {
  let metadata: Metadata;
  try {
    // Loaded on first use: libvips costs start-up time that JPEG-only scans never need.
    const { default: sharp } = await import("sharp");
    metadata = await sharp(bytes).metadata();
  } catch (error: unknown) {
    throw new MetadataError(error instanceof Error ? error.message : String(error), { cause: error });
  }
  const frame = { width: metadata.width, height: metadata.height };
  if (metadata.exif === undefined) return { tags: EMPTY_TAGS, frame, tiff: null };
  // sharp's block starts with the APP1 "Exif\0\0" header; exifr wants the TIFF structure after it.
  const exif = metadata.exif;
  const tiff = exif.subarray(0, 4).toString("latin1") === "Exif" ? exif.subarray(6) : exif;
  return { tags: await parseTags(tiff, false), frame, tiff };
}

/** Sample and evidence from the tags, the real frame size, the EXIF TIFF block (for the maker note). */
function extraction(
  format: ImageFormat,
  tags: RawTags,
  frame: PixelSize | null,
  tiff: Uint8Array | null,
  quantization: Quantization | null = null,
): Extraction {
  const makerNote = tiff === null ? null : readMakerNote(tiff);
  return { format, sample: toCameraSample(tags, frame), evidence: toEvidence(tags, frame, makerNote, quantization) };
}

function jpegQuantization(bytes: Uint8Array, layout: JpegLayout): Quantization | null {
  const tables = readQuantizationTables(bytes, layout);
  const fingerprint = quantizationFingerprint(tables);
  return fingerprint === null ? null : { fingerprint, known: knownTables(tables, fingerprint) };
}

/**
 * A HEIC's EXIF: the Exif item is a 4-byte offset to the TIFF header, then the TIFF block that
 * exifr parses (ISO/IEC 23008-12 Annex A.2.1). exifr can walk HEIC itself, but only in one buffer
 * holding the whole file up to the item; this reads the item from wherever triage found it.
 */
function heicExifTiff(prefix: Uint8Array, beyond: Beyond): Uint8Array | null {
  const walk = walkIsoBmff([{ offset: 0, bytes: prefix }, ...beyond.pieces], beyond.fileSize);
  if (walk.kind === "corrupt") throw new MetadataError(walk.reason);
  if (walk.kind === "need") {
    const { offset, length } = walk.range;
    throw new MetadataError(`metadata lies at bytes ${String(offset)}-${String(offset + length - 1)}, which were not read`);
  }
  if (walk.exif === null) return null;
  const item = walk.exif;
  if (item.length < 4) throw new MetadataError("the Exif item is too short");
  const tiffStart = 4 + new DataView(item.buffer, item.byteOffset, item.byteLength).getUint32(0);
  return item.subarray(tiffStart);
}

/**
 * Reads a photo's camera metadata from its bytes: a prefix is enough when metadataExtent says so,
 * with the pieces nextMetadataRange asked for.
 */
export async function extractSample(bytes: Uint8Array, beyond: Beyond = { pieces: [], fileSize: bytes.length }): Promise<Extraction | null> {
  const format = detectFormat(bytes);
  if (format === null) return null;
  switch (format) {
    case "jpeg": {
      const layout = walkJpeg(bytes);
      const tags = await parseTags(bytes, hasXmpOrIptc(bytes, layout));
      return extraction(format, tags, layout.frame, jpegExifTiff(bytes, layout), jpegQuantization(bytes, layout));
    }
    case "webp": {
      // exifr reads the EXIF chunk's TIFF block; the XMP chunk is not read.
      const layout = walkWebp(bytes);
      const tags = layout.exif === null ? EMPTY_TAGS : await parseTags(layout.exif, false);
      return extraction(format, tags, layout.frame, layout.exif);
    }
    case "avif": {
      const { tags, frame, tiff } = await tagsViaSharp(bytes);
      return extraction(format, tags, frame, tiff);
    }
    case "gif":
    case "bmp":
      // Neither container carries EXIF.
      return { format, sample: toCameraSample(EMPTY_TAGS, null), evidence: NO_EVIDENCE };
    case "tiff":
      // A TIFF file is itself the TIFF structure the maker note's offsets refer to.
      return extraction(format, await parseTags(bytes), null, bytes);
    case "heic": {
      const tiff = heicExifTiff(bytes, beyond);
      return extraction(format, tiff === null ? EMPTY_TAGS : await parseTags(tiff), null, tiff);
    }
    case "png":
      return extraction(format, await parseTags(bytes), null, null);
  }
}
