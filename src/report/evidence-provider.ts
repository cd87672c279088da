/**
 * What a report needs from a photo beyond its record: a thumbnail and the full metadata dump (the
 * deep pass). Reports stay free of I/O: whoever builds one injects an EvidenceProvider, which
 * reopens the photo (src/photo-evidence.ts does it through sources/ and extract/).
 */
import type { ScanRecord } from "../record.js";

export interface Evidence {
  /** `data:image/jpeg;base64,…`, a few KiB, EXIF orientation applied; null when none could be made. */
  thumbnail: string | null;
  /** Every tag of the photo, flattened (`ifd0:Model` -> value as text, length-capped); null when unread. */
  tags: Record<string, string> | null;
  /** Why the photo could not be read again, or why what was read is not shown (it changed since the scan). */
  problem: string | null;
}

export interface EvidenceProvider {
  /** Never throws for a per-photo problem: it returns it in `problem`. */
  evidence(record: ScanRecord): Promise<Evidence>;
}

/** A data URI a report may embed: a base64 JPEG, PNG or WebP image, and nothing else. */
export const SAFE_IMAGE_DATA_URI = /^data:image\/(?:jpeg|png|webp);base64,[A-Za-z0-9+/]+={0,2}$/;
