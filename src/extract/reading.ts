/**
 * What reading a container yields before interpretation (Reading), what triage read past the
 * prefix (Beyond), and the error for an image whose metadata cannot be parsed. Shared by the
 * container table (containers.ts), the AVIF reader (avif.ts) and extraction (index.ts).
 */
import type { RecordWarning } from "../record.js";
import type { Quantization } from "./authenticity.js";
import type { ImageFormat } from "./format.js";
import type { BytePiece } from "./isobmff.js";
import type { PixelSize } from "./sample.js";
import { readRawTags, type MetadataBlocks, type RawTags } from "./tags.js";
import { openTiff } from "./tiff.js";

/** Thrown when a file is an image but its metadata cannot be parsed. */
export class MetadataError extends Error {
  override name = "MetadataError";
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
export function tagsOf(blocks: MetadataBlocks): RawTags {
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
  /** Damage the container's and the blocks' readers recovered from (warnings.ts), in the order met. */
  warnings: readonly RecordWarning[];
}
