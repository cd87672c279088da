/**
 * AVIF through libvips (sharp): the box walk reads HEIC only, so sharp reads an AVIF's size and
 * hands back its raw EXIF block. sharp is loaded on first use: libvips costs start-up time that
 * JPEG-only scans never need.
 */
import type { Metadata } from "sharp";
import { withoutExifHeader } from "./bytes.js";
import { MetadataError, tagsOf, type Reading } from "./reading.js";

async function avifMetadata(bytes: Uint8Array): Promise<Metadata> {
  const { default: sharp } = await import("sharp");
  return sharp(bytes).metadata();
}

/** An AVIF's reading: libvips's frame size and EXIF block; what libvips cannot open is a MetadataError. */
export async function readAvif(bytes: Uint8Array): Promise<Reading> {
  let metadata: Metadata;
  try {
    metadata = await avifMetadata(bytes);
  } catch (error: unknown) {
    throw new MetadataError(error instanceof Error ? error.message : String(error), { cause: error });
  }
  const frame = { width: metadata.width, height: metadata.height };
  const tiff = metadata.exif === undefined ? null : withoutExifHeader(metadata.exif);
  const tags = tagsOf({ tiff });
  return { format: "avif", tags, frame, tiff, quantization: null, warnings: tags.warnings };
}

/** The TIFF block of an AVIF's EXIF, for the deep pass's dump; throws what libvips throws. */
export async function avifExifBlock(bytes: Uint8Array): Promise<Uint8Array | null> {
  const exif = (await avifMetadata(bytes)).exif;
  return exif === undefined ? null : withoutExifHeader(exif);
}
