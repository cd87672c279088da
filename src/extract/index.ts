/**
 * bytes -> CameraSample. Pure with respect to the outside world: takes bytes, never paths.
 * Per-container work (recognising the format, finding the metadata blocks, the real pixel size)
 * is the container table's (containers.ts); the blocks' tags are read by tags.ts.
 */
import type { CameraSample } from "../record.js";
import { CONTAINERS, detectFormat, readJpeg, type GrowingPrefixPlan } from "./containers.js";
import { NO_EVIDENCE, toEvidence, type Evidence } from "./authenticity.js";
import type { ImageFormat } from "./format.js";
import type { ByteRange, BytePiece } from "./isobmff.js";
import { walkJpeg, type JpegLayout } from "./jpeg.js";
import { readMakerNote } from "./makernote.js";
import type { Beyond, Reading } from "./reading.js";
import { NO_TAGS } from "./tags.js";
import { toCameraSample } from "./sample.js";
import { NO_WARNINGS } from "./warnings.js";
import type { RecordWarning } from "../record.js";

export { detectFormat } from "./containers.js";
export type { ImageFormat } from "./format.js";
export type { GrowingPrefixPlan } from "./containers.js";
export { imageInfo, NO_EVIDENCE, type Evidence } from "./authenticity.js";
export type { ByteRange, BytePiece } from "./isobmff.js";
export { MetadataError, type Beyond, type Reading } from "./reading.js";

export interface Extraction {
  format: ImageFormat;
  sample: CameraSample;
  /** What the authenticity checks read beyond the camera claim. */
  evidence: Evidence;
  /** Damage the readers recovered from (the record's `warnings`). */
  warnings: readonly RecordWarning[];
}

/**
 * How many bytes from the start of a file hold its metadata, judged from a prefix of it.
 * Returns a number <= prefix.length when the prefix is enough. Each container says how
 * (containers.ts): JPEG headers are walked; HEIC needs no more prefix than triage reads, since its
 * metadata is fetched by range (nextMetadataRange); the others can put metadata anywhere (TIFF
 * IFDs, PNG chunks after the pixels), so they are read whole.
 */
export function metadataExtent(prefix: Uint8Array, format: ImageFormat, fileSize: number): number {
  return CONTAINERS[format].metadataExtent(prefix, fileSize);
}

/**
 * A segment the prefix ends inside that no parser reads (a JPEG's ICC profile or vendor blob),
 * marker included, for triage to leave out and read on past; null when there is none.
 */
/** A judge for one prefix as it grows (triage's read plan): walks each byte once over all its rounds. */
export function growingPrefix(format: ImageFormat): GrowingPrefixPlan {
  return CONTAINERS[format].growingPrefix();
}

export function unreadSegment(prefix: Uint8Array, format: ImageFormat): ByteRange | null {
  return CONTAINERS[format].unreadSegment(prefix);
}

/**
 * The next range past the prefix that holds metadata, given the pieces read so far; null when
 * nothing more is needed. Only HEIC has any (its meta box and Exif item).
 */
export function nextMetadataRange(prefix: Uint8Array, pieces: readonly BytePiece[], format: ImageFormat, fileSize: number): ByteRange | null {
  return CONTAINERS[format].nextMetadataRange(prefix, pieces, fileSize);
}

/** Sample and evidence: what the tags and the container say, interpreted. */
function extraction({ format, tags, frame, tiff, quantization, warnings }: Reading): Extraction {
  const makerNote = tiff === null ? null : readMakerNote(tiff);
  return { format, sample: toCameraSample(tags, frame), evidence: toEvidence(tags, frame, makerNote, quantization), warnings };
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
  return format === null ? null : CONTAINERS[format].read(bytes, beyond);
}

/** Reads and interprets a photo's metadata (readContainer, then sample and evidence). */
export async function extractSample(bytes: Uint8Array, beyond: Beyond = { pieces: [], fileSize: bytes.length }): Promise<Extraction | null> {
  const reading = await readContainer(bytes, beyond);
  if (reading === null) return null;
  // GIF and BMP carry no metadata: no evidence either.
  if (!CONTAINERS[reading.format].carriesMetadata) return { format: reading.format, sample: toCameraSample(NO_TAGS, null), evidence: NO_EVIDENCE, warnings: NO_WARNINGS };
  return extraction(reading);
}
