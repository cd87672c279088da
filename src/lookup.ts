/**
 * What exifhunt would conclude about a photo with a given Model and Software, shot on a given day:
 * the CameraSample such a photo gives, run through the same analyze() a scan runs. Pure. Behind
 * `exifhunt registry lookup`.
 */
import { analyze, type Analysis } from "./analyze/index.js";
import { schemeForMake, type ParsedBuild } from "./firmware/index.js";
import type { CameraSample, DeviceSummary, Finding } from "./record.js";
import { MAX_PATTERN_INPUT } from "./registry/build.js";
import { normalizeModel, type DeviceRegistry, type MatchKind } from "./registry/index.js";
import { cameraSample } from "./extract/sample.js";

export interface LookupQuery {
  model: string;
  software: string | null;
  /** The day the photo would be taken, YYYY-MM-DD. */
  date: string;
  /** EXIF Make; when absent, the vendor whose registry knows the model (or claims its range). */
  make?: string;
}

export interface LookupAnswer {
  query: LookupQuery;
  /** The Make used, and whether it was inferred from the registry. */
  make: string | null;
  makeInferred: boolean;
  camera: CameraSample;
  device: DeviceSummary | null;
  /** How the model found its device (model number, alias, name, region variant). */
  match: MatchKind | null;
  /** The firmware build's decoded parts, when a vendor scheme reads it. */
  build: ParsedBuild | null;
  verdict: Analysis["verdict"];
  findings: Finding[];
}

function inferMake(registry: DeviceRegistry, model: string): string | null {
  const found = registry.lookup(null, model);
  if (found.kind === "device") return found.device.vendor.vendor;
  // A model in a vendor's numbering: inside the range its registry covers, or shaped like its model numbers.
  if (model.trim().length > MAX_PATTERN_INPUT) return null;
  const claiming = registry.vendors.filter(
    (vendor) => vendor.coverage?.test(model.trim()) === true || vendor.variants?.test(normalizeModel(model)) === true,
  );
  return claiming.length === 1 ? (claiming[0]?.vendor ?? null) : null;
}

export function lookupPair(registry: DeviceRegistry, query: LookupQuery): LookupAnswer {
  const make = query.make ?? inferMake(registry, query.model);
  const sample = cameraSample({ make, model: query.model, software: query.software, captured: `${query.date}T12:00:00` });
  const analysis = analyze(sample, registry);
  const found = registry.lookup(make, query.model);
  const scheme = (found.kind === "device" ? found.device.vendor.firmware : null) ?? schemeForMake(make);
  const models = [query.model, ...(found.kind === "device" ? found.device.entry.models : [])];
  const build = query.software === null || scheme === null ? null : scheme.parse(query.software, models);
  return {
    query,
    make,
    makeInferred: query.make === undefined && make !== null,
    camera: sample,
    device: analysis.device,
    match: found.kind === "device" ? found.match : null,
    build: build ?? null,
    verdict: analysis.verdict,
    findings: analysis.findings,
  };
}
