/**
 * What a report needs from a photo beyond its record: a thumbnail and the full metadata dump (the
 * deep pass). Reports stay free of I/O: whoever builds one injects an EvidenceProvider, which
 * reopens the photo (src/photo-evidence.ts does it through sources/ and extract/).
 */
import type { HttpCustody, ScanRecord } from "../record.js";

export interface Evidence {
  /** `data:image/jpeg;base64,…`, a few KiB, EXIF orientation applied; null when none could be made. */
  thumbnail: string | null;
  /** Every tag of the photo, flattened (`ifd0:Model` -> value as text, length-capped); null when unread. */
  tags: Record<string, string> | null;
  /** Why the photo could not be read again, or why what was read is not shown (it changed since the scan). */
  problem: string | null;
  /** For URL photos: the chain of custody of the fetch made for the report; absent for files. */
  refetched?: HttpCustody;
}

export interface EvidenceProvider {
  /** Never throws for a per-photo problem: it returns it in `problem`. */
  evidence(record: ScanRecord): Promise<Evidence>;
  /**
   * The SHA-256 of a record's input, read again (a possible copy of a flagged photo); null when it
   * cannot be read. Absent: reports compare only the hashes the scan made.
   */
  sha256?(record: ScanRecord): Promise<string | null>;
}

/** A data URI a report may embed: a base64 JPEG, PNG or WebP image, and nothing else. */
export const SAFE_IMAGE_DATA_URI = /^data:image\/(?:jpeg|png|webp);base64,[A-Za-z0-9+/]+={0,2}$/;
