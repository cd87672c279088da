/**
 * The public record contract (DESIGN.md, "The record"). One ScanRecord per input, always.
 * Versioned with `schema`: fields may be added; none is renamed or removed without a new version.
 */

export const SCHEMA_VERSION = 1;

export type SourceKind = "file" | "url" | "archive-entry";

export type Verdict = "leak" | "suspicious" | "known" | "unregistered" | "no-metadata" | "error";

/** Verdicts from most to least newsworthy: reports sort and `--fail-on` compare by this order. */
export const VERDICTS_BY_RANK: readonly Verdict[] = [
  "leak",
  "suspicious",
  "unregistered",
  "known",
  "no-metadata",
  "error",
];

/**
 * A stable, documented vocabulary (README "Finding codes"). Add codes freely; never rename one:
 * pipelines filter on them.
 */
export type FindingCode =
  | "unknown-model"
  | "captured-before-announcement"
  | "captured-before-release"
  | "prerelease-firmware"
  | "unknown-firmware"
  | "edited"
  | "date-inconsistent"
  | "inconsistent-camera"
  | "no-camera-metadata"
  // URL inputs (docs/urls.md): the server's Last-Modified against the device's announcement, and
  // photo-site copies known to carry no metadata.
  | "published-before-announcement"
  | "resized-copy"
  // Sightings (issue 18): an unknown model on a known device's firmware, and a photo-site upload
  // date (a gallery-dl sidecar) before the device's announcement.
  | "firmware-of-known-device"
  | "uploaded-before-announcement";

/**
 * high: evidence of an unreleased device or unseen firmware on its own.
 * medium: evidence worth a human look. low / info: context, never changes a verdict.
 */
export type Severity = "high" | "medium" | "low" | "info";

export interface Finding {
  code: FindingCode;
  severity: Severity;
  /** One sentence a journalist can quote, citing the dates or builds compared. */
  message: string;
}

export interface FirmwareBuild {
  /** Which vendor's build scheme recognised the string ("sony"). */
  vendor: string;
  /** The build without any camera-app suffix: what is compared. */
  build: string;
  /** What the camera app appended after `_` (Sony: `9_f300`), kept as evidence; null when none. */
  suffix: string | null;
  /**
   * When the build was made, decoded from the build code (`2014-07`; `2012` when the code gives no
   * month), for vendors whose codes carry it (Samsung). Absent for builds that carry no date (Sony).
   */
  date?: string;
}

/** What a photo's metadata says about the camera that took it: narrow, typed, normalized. */
export interface CameraSample {
  make: string | null;
  model: string | null;
  /** EXIF Software as written. */
  software: string | null;
  firmware: FirmwareBuild | null;
  /** Local capture time `YYYY-MM-DDTHH:MM:SS`, with `±HH:MM` when the file records an offset. */
  captured: string | null;
  width: number | null;
  height: number | null;
  megapixels: number | null;
  focalLength: number | null;
  focalLength35mm: number | null;
  lens: string | null;
}

/** The registry entry a photo matched, as shown in a record. */
export interface DeviceSummary {
  vendor: string;
  name: string;
  codename: string | null;
  announced: string | null;
  released: string | null;
  /** The registry file the entry came from: "bundled:sony.json" or a user file's path. */
  registry: string;
}

/** What the image data itself says, beside its metadata (docs/authenticity.md). */
export interface ImageInfo {
  /**
   * Fingerprint of the JPEG quantization tables: the first 16 hex digits of a SHA-256 over the
   * tables. Photos from one device and firmware normally share it; null when not a JPEG.
   */
  quantization: string | null;
  /** Whose tables they are, when known: "Adobe Photoshop quality 8", "libjpeg's standard tables at quality 97". */
  quantizationTables: string | null;
}

export type ErrorCode =
  | "not-found"
  | "unreadable"
  | "not-an-image"
  | "empty-file"
  | "corrupt-metadata"
  | "read-failed"
  | "timeout"
  // URL inputs (docs/urls.md).
  | "bad-url"
  | "http-status"
  | "connection-refused"
  | "host-not-found"
  | "too-many-redirects"
  | "network-error"
  // Archives (docs/archives.md): an entry that is encrypted, an archive or compression method
  // exifhunt does not read (7z, rar, bzip2 …), a damaged archive, a bound that was reached.
  | "encrypted-entry"
  | "unsupported-archive"
  | "corrupt-archive"
  | "archive-limit";

export interface RecordError {
  code: ErrorCode;
  message: string;
}

/**
 * Damage a reader recovered from, as data (README "Warning codes"): the record was still read, but
 * part of its metadata was cut short or pointed nowhere, so a tag missing from it may be missing
 * from the file's damage rather than from the camera. A stable vocabulary like the finding codes:
 * add codes freely; never rename one.
 */
export type WarningCode =
  /** An IFD declares more entries than the EXIF block holds: the entries inside it were read. */
  | "truncated-ifd"
  /** An IFD, or the value of a tag exifhunt reads, lies past the end of the EXIF block: it was skipped. */
  | "offset-out-of-range"
  /** A JPEG segment's length is impossible, or leaves the walk off a marker: the header was read up to there. */
  | "bad-segment-length"
  /** A JPEG ends (EOI, or the file's last byte) before its image data starts (SOS). */
  | "no-start-of-scan"
  /** An XMP packet stops before its closing tag: the properties before the cut were read. */
  | "truncated-xmp"
  /** A PNG chunk, a WebP (RIFF) chunk or a HEIF box runs past the end of the file, or a PNG has no IEND: the walk stopped there. */
  | "truncated-container";

/**
 * What each warning code means, as README's "Warning codes" says it: TypeScript insists every code
 * has a line, and a test holds the README to this list.
 */
export const WARNING_CODES = {
  "truncated-ifd": "an IFD declares more entries than the EXIF block holds; the entries inside it were read",
  "offset-out-of-range": "an IFD, or the value of a tag exifhunt reads, lies past the end of the EXIF block; it was skipped",
  "bad-segment-length": "a JPEG segment's length is below 2, or leads the walk off a marker; the header was read up to there",
  "no-start-of-scan": "a JPEG ends (EOI, or the file's last byte) before its image data starts (SOS)",
  "truncated-xmp": "an XMP packet stops before its closing tag; the properties before the cut were read",
  "truncated-container": "a PNG or WebP chunk or a HEIF box runs past the end of the file, or a PNG has no IEND; what came before it was read",
} as const satisfies Record<WarningCode, string>;

export interface RecordWarning {
  code: WarningCode;
  /** One sentence naming the structure and the byte offsets involved. */
  message: string;
}

export interface ScanRecord {
  schema: typeof SCHEMA_VERSION;
  /** A path as given or met while walking, a URL, or `archive!/entry`. */
  source: string;
  kind: SourceKind;
  /** Size of the whole file in bytes, when known. */
  bytes: number | null;
  /** Image container detected from content ("jpeg", "heic" …); null when not an image. */
  format: string | null;
  /** SHA-256 of the whole file; computed in the deep pass only (flagged photos, --deep), else null. */
  sha256: string | null;
  camera: CameraSample | null;
  /** The image data's own evidence (JPEG quantization fingerprint); null when not read. */
  image: ImageInfo | null;
  device: DeviceSummary | null;
  verdict: Verdict;
  findings: Finding[];
  error: RecordError | null;
  /** For URL inputs, how the bytes were fetched (chain of custody); null for files. */
  http?: HttpCustody | null;
  /** For archive entries, where in which archive the bytes are (chain of custody); absent otherwise. */
  archive?: ArchiveCustody;
  /**
   * Damage the readers recovered from, in the order met; absent when there was none, so that a
   * record of an undamaged photo reads exactly as it did before warnings existed.
   */
  warnings?: RecordWarning[];
  /**
   * Publication evidence from a sidecar beside a local photo (gallery-dl's `NAME.jpg.json`);
   * the key is absent when there is none, so records without one keep their shape.
   */
  sidecar?: SidecarEvidence;
}

/** What a downloader's sidecar says about where and when a photo was published (sources/sidecar.ts). */
export interface SidecarEvidence {
  /** The sidecar's path. */
  file: string;
  /** Which downloader's format it was read as. */
  tool: "gallery-dl";
  /** The site (gallery-dl's `category`: "flickr"). */
  site: string | null;
  /** The photo's id on the site. */
  id: string | null;
  /** Who uploaded it (Flickr: `owner.username`). */
  uploader: string | null;
  /** The photo's URL on the site, as the sidecar gives it. */
  url: string | null;
  title: string | null;
  /** The upload time, ISO 8601 in UTC (`2013-10-25T12:34:56Z`); null when the sidecar gives none. */
  uploaded: string | null;
  /** Why nothing or not everything could be read from it; absent when all went well. */
  problem?: string;
}

/**
 * An archive entry's chain of custody: the archive it was read from and what the archive says
 * about the entry. Names are the archive's, made safe to show (docs/archives.md).
 */
export interface ArchiveCustody {
  /** The archive holding the entry, as a source: a path, a URL, or itself an entry (`a.zip!/b.zip`). */
  container: string;
  /** The outermost input: the file or URL named or walked. */
  root: string;
  format: "zip" | "tar" | "tar.gz";
  /** The entry's name in the archive, control characters escaped (the source ends with it). */
  entry: string;
  /**
   * Where the entry sits: its index in each archive from the root inward (zip: central directory
   * order; tar: stream order), so it can be found again whatever its name.
   */
  position: number[];
  /** Size of the entry's own bytes, as the archive declares it. */
  size: number;
  /** Size as stored in the archive (zip); null for tar. */
  compressedSize: number | null;
  /** CRC-32 the archive records for the entry, 8 hex digits (zip); null for tar. */
  crc32: string | null;
  /** Modification time the archive records (zip: local time without zone; tar: UTC, ISO 8601). */
  modified: string | null;
  /** How the entry is stored: "stored" or "deflate" (zip); null for tar. */
  method: string | null;
}

/** A URL input's chain of custody: what was asked for, what the server answered, what was read. */
export interface HttpCustody {
  /** The URL as given. */
  requested: string;
  /** The URL the photo came from, after redirects. */
  final: string;
  /** Each redirect followed, in order: the status and where it pointed. */
  redirects: { status: number; location: string }[];
  /** Status of the first response after redirects; null when no response came. */
  status: number | null;
  /** Headers as the server sent them (null when absent). */
  contentType: string | null;
  /** Content-Length of the first response (for a 206, the length of that range). */
  contentLength: number | null;
  etag: string | null;
  lastModified: string | null;
  /** When the first request was sent (ISO 8601, UTC). */
  fetchedAt: string;
  /** Whether the server honoured Range requests (null when no response came). */
  ranges: boolean | null;
  /** HTTP requests sent, counting redirects and retries. */
  requests: number;
  /** Body bytes received, over every request. */
  bytesRead: number;
  /** Whether the whole file was downloaded for the deep pass (SHA-256). */
  deepDownload: boolean;
}

/** A record with nothing read yet: verdict `error` until a stage fills it in. */
export function emptyRecord(source: string, kind: SourceKind): ScanRecord {
  return {
    schema: SCHEMA_VERSION,
    source,
    kind,
    bytes: null,
    format: null,
    sha256: null,
    camera: null,
    image: null,
    device: null,
    verdict: "error",
    findings: [],
    error: null,
    http: null,
  };
}

/** Whether a sample names a camera at all (Make or Model): without one there is nothing to check. */
export function hasCameraIdentity(sample: CameraSample): boolean {
  return sample.make !== null || sample.model !== null;
}
