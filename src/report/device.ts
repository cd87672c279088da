/**
 * The photos of one camera, grouped: which camera a record was shot on, what the registry says
 * about it, and what its photos say (models, builds, capture span, picture sizes).
 */
import type { ScanRecord } from "../record.js";
import { FLAGGED } from "../events.js";
import type { LookupResult } from "../registry/index.js";
import { compareText } from "../util/compare.js";
import type { DeviceKind, ModeCount, ObservedView, RegistryView, ValueCount } from "./model-types.js";
import { buildOf, captureKey } from "./photo.js";

export interface Group {
  key: string;
  kind: DeviceKind;
  vendor: string | null;
  name: string;
  records: ScanRecord[];
}

/** One record per photo: copies of one file (same SHA-256) count once in what the photos say. */
function distinctPhotos(records: readonly ScanRecord[]): ScanRecord[] {
  const seen = new Set<string>();
  return records.filter((record) => {
    if (record.sha256 === null) return true;
    if (seen.has(record.sha256)) return false;
    seen.add(record.sha256);
    return true;
  });
}

function countValues(records: readonly ScanRecord[], pick: (record: ScanRecord) => string | null): ValueCount[] {
  const counts = new Map<string, ValueCount>();
  for (const record of records) {
    const value = pick(record);
    if (value === null) continue;
    const entry = counts.get(value) ?? { value, photos: 0, flagged: 0 };
    entry.photos++;
    if (FLAGGED.has(record.verdict)) entry.flagged++;
    counts.set(value, entry);
  }
  return [...counts.values()].sort((a, b) => b.photos - a.photos || compareText(a.value, b.value));
}

function modeText(width: number, height: number): string {
  return `${String(width)}×${String(height)}`;
}

export function registryView(group: Group, lookup: LookupResult | null): RegistryView {
  const first = group.records[0];
  if (group.kind === "registered" && first?.device != null) {
    const summary = first.device;
    const entry = lookup?.kind === "device" && lookup.device.entry.name === summary.name ? lookup.device.entry : null;
    return {
      status: entry === null
        ? `listed in ${summary.registry} when scanned; the registry given to this report does not list it, so only the scan's dates are shown`
        : `listed in ${lookup?.kind === "device" ? lookup.device.registryFile : summary.registry}`,
      file: summary.registry,
      codename: summary.codename,
      models: entry?.models ?? [],
      announced: summary.announced,
      released: summary.released,
      megapixels: entry?.camera?.megapixels ?? null,
      modes: (entry?.camera?.modes ?? []).map(([width, height]) => modeText(width, height)),
      firmware: (entry?.firmware ?? []).map((firmware) => firmware.build),
    };
  }
  const empty = { file: null, codename: null, models: [], announced: null, released: null, megapixels: null, modes: [], firmware: [] };
  if (group.kind === "unknown-model") {
    const coverage = lookup?.kind === "unknown-model" ? lookup.vendor.coverage?.source ?? null : null;
    const vendor = lookup?.kind === "unknown-model" ? lookup.vendor.vendor : (group.vendor ?? "its vendor");
    const claim = coverage === null ? "" : ` although it lists every ${vendor} model matching ${coverage}`;
    return { ...empty, status: `not in the registry${claim}: a model number nobody has announced` };
  }
  return { ...empty, status: "no registry covers this camera: an unlisted camera is not evidence of a leak by itself" };
}

export function observedView(group: Group, lookup: LookupResult | null): ObservedView {
  const records = distinctPhotos(group.records);
  const dated = records
    .filter((record) => record.camera?.captured != null)
    .sort((a, b) => compareText(captureKey(a.camera?.captured ?? null), captureKey(b.camera?.captured ?? null)) || compareText(a.source, b.source));
  const at = (record: ScanRecord | undefined) => record?.camera?.captured == null ? null : { captured: record.camera.captured, source: record.source };
  const registryModes = lookup?.kind === "device" ? (lookup.device.entry.camera?.modes ?? []) : [];
  const modes = countValues(records, (record) =>
    record.camera?.width == null || record.camera.height == null ? null : modeText(record.camera.width, record.camera.height),
  ).map((count): ModeCount => {
    if (registryModes.length === 0) return { ...count, inRegistry: null };
    const inRegistry = registryModes.some(([w, h]) => count.value === modeText(w, h) || count.value === modeText(h, w));
    return { ...count, inRegistry };
  });
  return {
    models: countValues(records, (record) => record.camera?.model ?? null),
    builds: countValues(records, buildOf),
    earliest: at(dated[0]),
    latest: at(dated.at(-1)),
    modes,
  };
}
