import type { Evidence } from "../extract/authenticity.js";
import type { CameraSample, Finding, SidecarEvidence } from "../record.js";
import type { LookupResult, RegisteredDevice } from "../registry/index.js";

/** Where and when a photo was published: for URL inputs, from the HTTP chain of custody. */
export interface Publication {
  /** The URL asked for, and the one the photo came from after redirects. */
  requested: string;
  final: string;
  /** The server's Last-Modified header as sent (an HTTP date); null when it sent none. */
  lastModified: string | null;
}

/** What every rule sees: the photo's camera metadata and what the registry says about it. */
export interface AnalysisContext {
  sample: CameraSample;
  lookup: LookupResult;
  /** The file's authenticity evidence (dates, XMP trail, maker note, pixels); absent: not read. */
  evidence?: Evidence;
  /** Set for photos read from a URL; absent for files. */
  published?: Publication;
  /** A downloader's sidecar beside the photo (gallery-dl's JSON): the site's upload date. */
  sidecar?: SidecarEvidence;
  /** For an unknown model of a registered vendor: that vendor's devices (firmware-link.ts). */
  vendorDevices?: readonly RegisteredDevice[];
}

/** A rule is a pure function from the context to zero or more findings. */
export type Rule = (context: AnalysisContext) => Finding[];
