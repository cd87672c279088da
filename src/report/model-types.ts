/**
 * The report model's shape: everything an HTML or Markdown report shows, as plain data. Built by
 * model.ts, rendered by html.ts and md.ts. Untrusted strings are held as they came; renderers
 * escape them.
 */
import type { Finding, ScanRecord, SourceKind, Verdict } from "../record.js";
import type { DeviceRegistry } from "../registry/index.js";
import type { Sighting, SightingKind } from "../sightings/index.js";
import type { EvidenceProvider } from "./evidence-provider.js";
import type { Provenance } from "./provenance.js";

export interface ReportInputs {
  /** Records in any order; the model sorts them. */
  records: readonly ScanRecord[];
  /** `sony.json@2026-11-21` as the summary gives it: the registry the verdicts came from. */
  registryVersion: string;
  /** The registry, for the entries shown beside what the photos say; null shows only what records hold. */
  registry: DeviceRegistry | null;
  /** Reopens flagged photos; null builds a report without thumbnails or the metadata appendix. */
  evidence: EvidenceProvider | null;
  evidenceConcurrency?: number;
  /**
   * Computes the SHA-256 of photos that may be copies of a flagged one (same size, not hashed by
   * the scan), so that copies merge into one card; absent: only the scan's hashes are compared.
   */
  hasher?: (record: ScanRecord) => Promise<string | null>;
  /** What made the report, and when; absent: the report says nothing of it. */
  provenance?: Provenance;
}

export type DeviceKind = SightingKind;

export interface ReportModel {
  registryVersion: string;
  /** exifhunt's version, the command and the time the report was made; null when not given. */
  provenance: Provenance | null;
  photos: number;
  /** Every verdict, in rank order, zeros included. */
  verdicts: Record<Verdict, number>;
  flagged: number;
  /** Every camera sighted, most newsworthy first. Sections go to those with flagged photos. */
  devices: DeviceReport[];
  timeline: TimelineEntry[];
  /** Full metadata of each flagged photo, in the order the sections show them. */
  appendix: AppendixEntry[];
  /** Records that are errors (unreadable inputs), shown last. */
  errors: ErrorEntry[];
  /** Whether evidence was gathered at all (an EvidenceProvider was given). */
  evidenceGathered: boolean;
  /** Flagged photos shown without their evidence: gone, changed since the scan, or not decodable. */
  unavailable: number;
}

export interface DeviceReport {
  /** `device-1`: a fragment id, never from untrusted text. */
  anchor: string;
  kind: DeviceKind;
  /** The registry's vendor, or the photo's Make. */
  vendor: string | null;
  /** The registry's name, or the model as the photo writes it. */
  name: string;
  worst: Verdict;
  /** Photos per verdict: copies of one file (same SHA-256) count once. */
  counts: Record<Verdict, number>;
  photos: number;
  /** `3 photos (564 copies)`: distinct photos (copies of one SHA-256 count once), and places. */
  photoCount: string;
  /** The sighting the section shows (src/sightings/). */
  sighting: Sighting;
  /** The sighting's timeline drawn (inline SVG markup, its text escaped); null when nothing is dated. */
  timelineSvg: string | null;
  /** The earliest publication of its photos, in a sentence; null when none is known. */
  firstPublication: string | null;
  /** For unknown models: the known devices whose firmware it runs, in sentences. */
  family: string[];
  registry: RegistryView;
  observed: ObservedView;
  /** Flagged photos, one card per photo: copies of one file are one card listing every place. */
  flagged: PhotoReport[];
  others: OtherPhoto[];
  othersOmitted: number;
}

/** What the registry says about the device (strings from the registry file). */
export interface RegistryView {
  /** One sentence on how the registry sees this camera. */
  status: string;
  file: string | null;
  codename: string | null;
  models: string[];
  announced: string | null;
  released: string | null;
  megapixels: number | null;
  modes: string[];
  /** Public firmware builds, as listed. */
  firmware: string[];
}

export interface ValueCount {
  value: string;
  photos: number;
  /** How many of those photos are flagged. */
  flagged: number;
}

export interface ModeCount extends ValueCount {
  /** Whether the registry lists this mode (either orientation); null when it lists none. */
  inRegistry: boolean | null;
}

/** What the photos of the device say. */
export interface ObservedView {
  models: ValueCount[];
  /** Firmware builds (without the camera app's suffix), or Software as written when not a build. */
  builds: ValueCount[];
  earliest: { captured: string; source: string } | null;
  latest: { captured: string; source: string } | null;
  modes: ModeCount[];
}

export interface PhotoReport {
  /** `photo-1`: a fragment id. */
  anchor: string;
  /** The first place the photo was found (sorted); `places` lists them all. */
  source: string;
  /** Every place a copy of the photo (same SHA-256) was found, sorted; one entry when no copies. */
  places: string[];
  /** When the photo was public, and what says so (sidecar uploads, Last-Modified), in sentences. */
  publications: string[];
  kind: SourceKind;
  verdict: Verdict;
  findings: Finding[];
  make: string | null;
  model: string | null;
  software: string | null;
  build: string | null;
  suffix: string | null;
  captured: string | null;
  /** `3264×2448 (8 MP)`. */
  dimensions: string | null;
  /** Capture time against announcement and release, in sentences. */
  timing: string[];
  sha256: string | null;
  bytes: number | null;
  format: string | null;
  /** How the photo was obtained, for URLs and archive entries; empty for local files. */
  custody: string[];
  thumbnail: string | null;
  /** Why there is no thumbnail, when there is none. */
  problem: string | null;
}

export interface OtherPhoto {
  source: string;
  verdict: Verdict;
  build: string | null;
  captured: string | null;
}

export type TimelineEvent = "announced" | "released" | "captured" | "published";

export interface TimelineEntry {
  /** As shown: a capture time, or a registry date as written (`2014-01`). */
  date: string;
  event: TimelineEvent;
  device: string;
  deviceAnchor: string;
  /** For captures. */
  photo: { source: string; anchor: string; verdict: Verdict } | null;
  /** `76 days before the announcement (2014-01-06)`. */
  note: string;
}

export interface AppendixEntry {
  anchor: string;
  source: string;
  /** `[tag, value]` in the order the file holds them; null when the photo could not be read again. */
  tags: [string, string][] | null;
  problem: string | null;
}

export interface ErrorEntry {
  source: string;
  code: string;
  message: string;
}
