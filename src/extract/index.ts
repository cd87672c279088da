/**
 * bytes -> CameraSample. Pure with respect to the outside world: takes bytes, never paths.
 * Per-container work (finding the metadata blocks, the real pixel size) happens here; the blocks'
 * tags are read by tags.ts.
 */
import type { Metadata } from "sharp";
import type { CameraSample } from "../record.js";
import { latin1, withoutExifHeader } from "./bytes.js";
import { NO_EVIDENCE, toEvidence, type Evidence, type Quantization } from "./evidence.js";
import { photoshopIptc } from "./iptc.js";
import { walkPng } from "./png.js";
import { NO_TAGS, readRawTags, type MetadataBlocks, type RawTags } from "./tags.js";
import { openTiff } from "./tiff.js";
import { detectFormat, type ImageFormat } from "./format.js";
import { walkIsoBmff, type ByteRange, type BytePiece } from "./isobmff.js";
import { DQT, jpegMetadata, segmentPayload, walkJpeg, type JpegLayout } from "./jpeg.js";
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
 * or triage will leave that segment out where it runs past what was read.
 */
export const READ_APP_MARKERS: ReadonlySet<number> = new Set([0xe1, 0xed]);

/**
 * When a JPEG prefix ends inside an APP segment no parser reads (an ICC profile split over APP2
 * segments, a phone vendor's APP4 or APP6 blob: up to 64 KiB each, often several), that whole
 * segment, marker included. Triage leaves it out of the bytes it keeps and reads on from its end:
 * the next header, and SOF for the frame size, come at the cost of a small read, not of the blob.
 * Nothing is lost: JPEG's other segments hold no offsets into the file (EXIF's are relative to
 * its own TIFF header). Null when the prefix does not end in such a segment.
 */
export function unreadSegment(prefix: Uint8Array, format: ImageFormat): ByteRange | null {
  if (format !== "jpeg") return null;
  const layout = walkJpeg(prefix);
  const last = layout.segments.at(-1);
  if (layout.headerEnd !== null || last === undefined) return null;
  const length = 4 + last.length;
  const isApp = last.marker >= 0xe0 && last.marker <= 0xef;
  if (last.offset + length <= prefix.length || !isApp || READ_APP_MARKERS.has(last.marker)) return null;
  return { offset: last.offset, length };
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

/**
 * The tags of a container's metadata blocks. An EXIF block that is not a TIFF structure is
 * damage worth reporting, not a photo without metadata.
 */
function tagsOf(blocks: MetadataBlocks): RawTags {
  if (blocks.tiff != null && blocks.tiff.length > 0 && openTiff(blocks.tiff) === null) {
    throw new MetadataError("the EXIF block is not a TIFF structure (no II/MM byte-order mark and 42)");
  }
  return readRawTags(blocks);
}

/**
 * What a container holds, before interpretation: the tags as written, the real pixel size, the
 * EXIF TIFF block (the maker note's offsets are relative to it) and the JPEG quantization tables.
 */
export interface Reading {
  format: ImageFormat;
  tags: RawTags;
  /** The real pixel size from the container (JPEG SOF, WebP VP8X, AVIF), when read. */
  frame: PixelSize | null;
  tiff: Uint8Array | null;
  quantization: Quantization | null;
}

/** sharp reads AVIF (and any HEIF the box walk cannot) and hands back the raw EXIF block. */
async function readAvif(bytes: Uint8Array): Promise<Reading> {
  let metadata: Metadata;
  try {
    // Loaded on first use: libvips costs start-up time that JPEG-only scans never need.
    const { default: sharp } = await import("sharp");
    metadata = await sharp(bytes).metadata();
  } catch (error: unknown) {
    throw new MetadataError(error instanceof Error ? error.message : String(error), { cause: error });
  }
  const frame = { width: metadata.width, height: metadata.height };
  const tiff = metadata.exif === undefined ? null : withoutExifHeader(metadata.exif);
  return { format: "avif", tags: tagsOf({ tiff }), frame, tiff, quantization: null };
}

/** Sample and evidence: what the tags and the container say, interpreted. */
function extraction({ format, tags, frame, tiff, quantization }: Reading): Extraction {
  const makerNote = tiff === null ? null : readMakerNote(tiff);
  return { format, sample: toCameraSample(tags, frame), evidence: toEvidence(tags, frame, makerNote, quantization) };
}

/** Quantization by the DQT segments' raw bytes: a dump's photos come from few encoders. */
const quantizationMemo = new Map<string, Quantization | null>();
const MEMO_LIMIT = 256;

function jpegQuantization(bytes: Uint8Array, layout: JpegLayout): Quantization | null {
  let key = "";
  for (const segment of layout.segments) if (segment.marker === DQT) key += latin1.decode(segmentPayload(bytes, segment)) + "|";
  const known = quantizationMemo.get(key);
  if (known !== undefined) return known;
  const tables = readQuantizationTables(bytes, layout);
  const fingerprint = quantizationFingerprint(tables);
  const quantization = fingerprint === null ? null : { fingerprint, known: knownTables(tables, fingerprint) };
  if (quantizationMemo.size >= MEMO_LIMIT) quantizationMemo.clear();
  quantizationMemo.set(key, quantization);
  return quantization;
}

/**
 * A HEIC's EXIF: the Exif item is a 4-byte offset to the TIFF header, then the TIFF block that
 * tiff-tags.ts reads (ISO/IEC 23008-12 Annex A.2.1). The item is read from wherever triage found
 * it (nextMetadataRange), not from a buffer holding the whole file up to it.
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

/** A JPEG's reading, from bytes that hold its whole header (metadataExtent). */
function readJpeg(bytes: Uint8Array, layout: JpegLayout): Reading {
  const blocks = jpegMetadata(bytes, layout);
  const iptc = blocks.photoshop === null ? null : photoshopIptc(blocks.photoshop);
  const tags = tagsOf({ tiff: blocks.exif, xmp: blocks.xmp, iptc });
  return { format: "jpeg", tags, frame: layout.frame, tiff: blocks.exif, quantization: jpegQuantization(bytes, layout) };
}

/**
 * A JPEG's extraction, from bytes that hold its whole header. Synchronous: JPEG is the bulk of
 * any photo dump, and triage runs this on a buffer it reuses for every file.
 */
export function extractJpeg(bytes: Uint8Array, layout: JpegLayout = walkJpeg(bytes)): Extraction {
  return extraction(readJpeg(bytes, layout));
}

/**
 * Reads what a photo's container holds from its bytes: a prefix is enough when metadataExtent
 * says so, with the pieces nextMetadataRange asked for. Null when the bytes are not an image.
 */
export async function readContainer(bytes: Uint8Array, beyond: Beyond = { pieces: [], fileSize: bytes.length }): Promise<Reading | null> {
  const format = detectFormat(bytes);
  const none = { tags: NO_TAGS, frame: null, tiff: null, quantization: null };
  switch (format) {
    case null:
      return null;
    case "jpeg":
      return readJpeg(bytes, walkJpeg(bytes));
    case "webp": {
      // The EXIF chunk's TIFF block; the XMP chunk is not read.
      const layout = walkWebp(bytes);
      return { ...none, format, tags: tagsOf({ tiff: layout.exif }), frame: layout.frame, tiff: layout.exif };
    }
    case "avif":
      return readAvif(bytes);
    case "gif":
    case "bmp":
      // Neither container carries EXIF.
      return { ...none, format };
    case "tiff":
      // A TIFF file is itself the TIFF structure the maker note's offsets refer to.
      return { ...none, format, tags: tagsOf({ tiff: bytes }), tiff: bytes };
    case "heic": {
      const tiff = heicExifTiff(bytes, beyond);
      return { ...none, format, tags: tagsOf({ tiff }), tiff };
    }
    case "png": {
      // IHDR's size stands in for EXIF's (as ImageWidth), not as the frame: parity with TIFF files.
      const layout = walkPng(bytes);
      const container = { software: layout.software, width: layout.frame?.width ?? null, height: layout.frame?.height ?? null };
      return { ...none, format, tags: tagsOf({ tiff: layout.exif, xmp: layout.xmp, container }), tiff: layout.exif };
    }
  }
}

/** Reads and interprets a photo's metadata (readContainer, then sample and evidence). */
export async function extractSample(bytes: Uint8Array, beyond: Beyond = { pieces: [], fileSize: bytes.length }): Promise<Extraction | null> {
  const reading = await readContainer(bytes, beyond);
  if (reading === null) return null;
  // GIF and BMP carry no metadata: no evidence either.
  if (reading.format === "gif" || reading.format === "bmp") return { format: reading.format, sample: toCameraSample(NO_TAGS, null), evidence: NO_EVIDENCE };
  return extraction(reading);
}
