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
  | "resized-copy";

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

export type ErrorCode =
  | "not-found"
  | "unreadable"
  | "not-an-image"
  | "empty-file"
  | "corrupt-metadata"
  | "read-failed"
  // URL inputs (docs/urls.md).
  | "bad-url"
  | "http-status"
  | "timeout"
  | "connection-refused"
  | "host-not-found"
  | "too-many-redirects"
  | "network-error";

export interface RecordError {
  code: ErrorCode;
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
  device: DeviceSummary | null;
  verdict: Verdict;
  findings: Finding[];
  error: RecordError | null;
  /** For URL inputs, how the bytes were fetched (chain of custody); null for files. */
  http?: HttpCustody | null;
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
