/**
 * CameraSample x DeviceRegistry -> findings and a verdict. Pure functions, no I/O: tested with
 * inline objects.
 */
import type { Evidence } from "../extract/authenticity.js";
import { hasCameraIdentity, type CameraSample, type SidecarEvidence, type DeviceSummary, type Finding, type FindingCode, type Severity, type Verdict } from "../record.js";
import type { DeviceRegistry, LookupResult, RegisteredDevice } from "../registry/index.js";
import { cameraConsistencyRule } from "./camera-consistency.js";
import type { AnalysisContext, Publication, Rule } from "./context.js";
import { dateConsistencyRule } from "./date-consistency.js";
import { captureDateRule } from "./dates.js";
import { editedRule } from "./edited.js";
import { firmwareRule } from "./firmware.js";
import { firmwareLinkRule } from "./firmware-link.js";
import { firmwareDateRule } from "./firmware-date.js";
import { flickrRule } from "./flickr.js";
import { noCameraMetadataRule, unknownModelRule } from "./model.js";
import { publishedDateRule, uploadDateRule } from "./published.js";

export type { AnalysisContext, Publication, Rule } from "./context.js";
export { flickrResizedCopy, type FlickrResizedCopy } from "./flickr.js";
export { TOLERANCE_DAYS } from "./dates.js";

/** Every rule, in the order their findings are listed. */
export const rules: readonly Rule[] = [
  noCameraMetadataRule,
  unknownModelRule,
  // An unknown model on a known device's firmware or software line: which family it belongs to.
  firmwareLinkRule,
  captureDateRule,
  firmwareRule,
  // A build's own date (Samsung): prerelease-firmware, and date-inconsistent against the capture time.
  firmwareDateRule,
  // URL inputs (docs/urls.md): the server's Last-Modified, resized Flickr copies.
  publishedDateRule,
  flickrRule,
  // A photo site's upload date, from a downloader's sidecar (gallery-dl).
  uploadDateRule,
  // Authenticity (docs/authenticity.md): doubts that turn a leak into `suspicious`.
  editedRule,
  dateConsistencyRule,
  cameraConsistencyRule,
];

/** Codes that, at high or medium severity, say the device or firmware was unreleased. */
const LEAK_CODES: ReadonlySet<FindingCode> = new Set([
  "unknown-model",
  "captured-before-announcement",
  "captured-before-release",
  "prerelease-firmware",
  "unknown-firmware",
  "published-before-announcement",
  "uploaded-before-announcement",
]);

/** Codes that cast doubt on the metadata itself: a leak they contradict is only suspicious. */
const DOUBT_CODES: ReadonlySet<FindingCode> = new Set(["edited", "date-inconsistent", "inconsistent-camera"]);

const WEIGHTY: ReadonlySet<Severity> = new Set(["high", "medium"]);

export function verdictFor(sample: CameraSample, lookup: LookupResult, findings: readonly Finding[]): Verdict {
  if (!hasCameraIdentity(sample)) return "no-metadata";
  const weighty = findings.filter((finding) => WEIGHTY.has(finding.severity));
  const leak = weighty.some((finding) => LEAK_CODES.has(finding.code));
  if (leak) return withDoubts("leak", weighty);
  return lookup.kind === "device" ? "known" : "unregistered";
}

/** A verdict after more findings arrive (sibling comparison): a leak they contradict is suspicious. */
export function withDoubts(verdict: Verdict, findings: readonly Finding[]): Verdict {
  const doubt = findings.some((finding) => WEIGHTY.has(finding.severity) && DOUBT_CODES.has(finding.code));
  return verdict === "leak" && doubt ? "suspicious" : verdict;
}

export function summarizeDevice(device: RegisteredDevice): DeviceSummary {
  return {
    vendor: device.vendor.vendor,
    name: device.entry.name,
    codename: device.entry.codename ?? null,
    announced: device.entry.announced ?? null,
    released: device.entry.released ?? null,
    registry: device.registryFile,
  };
}

export interface Analysis {
  device: DeviceSummary | null;
  findings: Finding[];
  verdict: Verdict;
}

/** What analysis may read beyond the camera sample; each rule that needs a part finds nothing without it. */
export interface AnalysisInputs {
  /** What the authenticity rules read (dates, XMP trail, maker note, pixels). */
  evidence?: Evidence;
  /** Where and when the photo was published, for URL inputs. */
  published?: Publication;
  /** A downloader's sidecar beside the photo (gallery-dl): the site's upload date. */
  sidecar?: SidecarEvidence;
}

export function analyze(sample: CameraSample, registry: DeviceRegistry, inputs: AnalysisInputs = {}): Analysis {
  const lookup = registry.lookup(sample.make, sample.model);
  const context: AnalysisContext = { sample, lookup, ...inputs };
  if (lookup.kind === "unknown-model") {
    context.vendorDevices = registry.devicesOf(lookup.vendor.vendor);
  }
  // A loop, not flatMap: twelve rules a photo, nearly all of which find nothing.
  const findings: Finding[] = [];
  for (const rule of rules) {
    const found = rule(context);
    for (const finding of found) findings.push(finding);
  }
  return {
    device: lookup.kind === "device" ? summarizeDevice(lookup.device) : null,
    findings,
    verdict: verdictFor(sample, lookup, findings),
  };
}
