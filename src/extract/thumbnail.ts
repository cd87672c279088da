/**
 * Thumbnails for reports: bytes in, a small JPEG data URI out. EXIF orientation is applied (a
 * portrait phone photo is stored sideways), and sharp writes no metadata into the thumbnail, so
 * nothing from the photo's tags travels with it.
 */
import sharp from "sharp";

export interface ThumbnailOptions {
  /** Longest side in pixels. */
  size?: number;
  /** JPEG quality, 1–100. */
  quality?: number;
}

/** 240 px at quality 60 is a few KiB: enough to recognise a scene, small enough to embed dozens. */
export const THUMBNAIL_SIZE = 240;
export const THUMBNAIL_QUALITY = 60;

/** A JPEG thumbnail of an image as `data:image/jpeg;base64,…`; throws when sharp cannot decode it. */
export async function makeThumbnail(bytes: Uint8Array, options: ThumbnailOptions = {}): Promise<string> {
  const size = options.size ?? THUMBNAIL_SIZE;
  const jpeg = await sharp(bytes, { failOn: "none" })
    .rotate()
    .resize(size, size, { fit: "inside", withoutEnlargement: true })
    .flatten({ background: "#ffffff" })
    .jpeg({ quality: options.quality ?? THUMBNAIL_QUALITY })
    .toBuffer();
  return `data:image/jpeg;base64,${jpeg.toString("base64")}`;
}
