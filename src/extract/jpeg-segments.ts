/**
 * What a metadata reader asks of a JPEG: the APP segment its block travels in. Each reader
 * declares its claim beside its parsing (tiff-tags.ts for EXIF, xmp.ts, iptc.ts); jpeg.ts finds
 * the blocks by those claims, and the markers triage must not leave out (READ_APP_MARKERS) are
 * derived from them, so a reader of a new segment cannot be forgotten there.
 */

export const APP1 = 0xe1;
export const APP13 = 0xed;

/** An APP segment a reader needs: its marker and the header its payload starts with. */
export interface SegmentClaim {
  marker: number;
  header: string;
  /** Whether the reader gets the payload with the header on (Photoshop's resources) or after it. */
  keepHeader: boolean;
}
