/**
 * CameraSample x DeviceRegistry -> findings and a verdict. Pure functions, no I/O: tested with
 * inline objects.
 */
import type { CameraSample, DeviceSummary, Finding, FindingCode, Severity, Verdict } from "../record.js";
import type { DeviceRegistry, LookupResult, RegisteredDevice } from "../registry/index.js";
import type { AnalysisContext, Publication, Rule } from "./context.js";
import { captureDateRule } from "./dates.js";
import { firmwareRule } from "./firmware.js";
import { flickrRule } from "./flickr.js";
import { noCameraMetadataRule, unknownModelRule } from "./model.js";
import { publishedDateRule } from "./published.js";

export type { AnalysisContext, Publication, Rule } from "./context.js";
export { flickrResizedCopy, type FlickrResizedCopy } from "./flickr.js";
export { TOLERANCE_DAYS } from "./dates.js";

/** Every rule, in the order their findings are listed. */
export const rules: readonly Rule[] = [
  noCameraMetadataRule,
  unknownModelRule,
  captureDateRule,
  firmwareRule,
  publishedDateRule,
  flickrRule,
];

/** Codes that, at high or medium severity, say the device or firmware was unreleased. */
const LEAK_CODES: ReadonlySet<FindingCode> = new Set([
  "unknown-model",
  "captured-before-announcement",
  "captured-before-release",
  "prerelease-firmware",
  "unknown-firmware",
  "published-before-announcement",
]);

/** Codes that cast doubt on the metadata itself: a leak they contradict is only suspicious. */
const DOUBT_CODES: ReadonlySet<FindingCode> = new Set(["edited", "date-inconsistent", "inconsistent-camera"]);

const WEIGHTY: ReadonlySet<Severity> = new Set(["high", "medium"]);

export function verdictFor(sample: CameraSample, lookup: LookupResult, findings: readonly Finding[]): Verdict {
  if (sample.make === null && sample.model === null) return "no-metadata";
  const weighty = findings.filter((finding) => WEIGHTY.has(finding.severity));
  const leak = weighty.some((finding) => LEAK_CODES.has(finding.code));
  const doubt = weighty.some((finding) => DOUBT_CODES.has(finding.code));
  if (leak) return doubt ? "suspicious" : "leak";
  return lookup.kind === "device" ? "known" : "unregistered";
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

/** @param published where and when the photo was published, for URL inputs. */
export function analyze(sample: CameraSample, registry: DeviceRegistry, published?: Publication): Analysis {
  const lookup = registry.lookup(sample.make, sample.model);
  const context: AnalysisContext = published === undefined ? { sample, lookup } : { sample, lookup, published };
  const findings = rules.flatMap((rule) => rule(context));
  return {
    device: lookup.kind === "device" ? summarizeDevice(lookup.device) : null,
    findings,
    verdict: verdictFor(sample, lookup, findings),
  };
}
