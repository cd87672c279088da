/**
 * The report model's shape: everything an HTML or Markdown report shows, as plain data. Built by
 * model.ts, rendered by html.ts and md.ts. Untrusted strings are held as they came; renderers
 * escape them.
 */
import type { Finding, ScanRecord, SourceKind, Verdict } from "../record.js";
import type { EvidenceProvider } from "./evidence-provider.js";
import type { DeviceRegistry } from "../registry/index.js";

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
}

export type DeviceKind = "registered" | "unknown-model" | "unregistered";

export interface ReportModel {
  registryVersion: string;
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
  counts: Record<Verdict, number>;
  photos: number;
  registry: RegistryView;
  observed: ObservedView;
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
  source: string;
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

export type TimelineEvent = "announced" | "released" | "captured";

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
