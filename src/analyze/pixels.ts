/**
 * Pixel sizes the metadata records (EXIF PixelXDimension, a maker note's size) against the
 * image's real frame. Rotation swaps width and height; JPEG encoders may pad to whole 8- or
 * 16-pixel blocks; a resize keeps the aspect ratio.
 */
import type { PixelSize } from "../extract/sample.js";

export type SizeRelation = "same" | "resized" | "different";

/** Padding to JPEG blocks (MCUs are at most 16 pixels wide). */
const PADDING = 16;
/** Aspect ratios this close are one ratio after rounding to whole pixels. */
const ASPECT_TOLERANCE = 0.015;

function landscape(size: PixelSize): PixelSize {
  return size.width >= size.height ? size : { width: size.height, height: size.width };
}

export function relateSizes(recorded: PixelSize, frame: PixelSize): SizeRelation {
  const r = landscape(recorded);
  const f = landscape(frame);
  if (Math.abs(r.width - f.width) <= PADDING && Math.abs(r.height - f.height) <= PADDING) return "same";
  const aspect = (size: PixelSize): number => size.width / size.height;
  const sameAspect = Math.abs(aspect(r) - aspect(f)) / aspect(r) <= ASPECT_TOLERANCE;
  return sameAspect && f.width < r.width && f.height < r.height ? "resized" : "different";
}

export function showSize(size: PixelSize): string {
  return `${String(size.width)}x${String(size.height)}`;
}
