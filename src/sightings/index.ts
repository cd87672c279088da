/**
 * Sightings: a leak is a story about a device, not about one file. Records in, sightings out:
 * records grouped by device (or by Make and Model when no registry entry matched), with the
 * firmware builds, camera modes and JPEG quantization fingerprints seen, the photos (copies with
 * the same SHA-256 merged into one photo listing every place it was found), the first and last
 * capture, and the first publication (the earliest of a photo site's upload date, from a
 * gallery-dl sidecar, and a server's Last-Modified).
 *
 * Pure: no I/O, no clock. Any record kind works the same (file, URL, archive entry): a sighting
 * only reads what the record says.
 *
 * API (for the CLI, the reports and the hunt log):
 *   buildSightings(records, registry?)        all at once; records in any order
 *   const b = new SightingsBuilder(registry?); b.add(record) …; b.sightings()
 *                                             incremental: add as records arrive, read any time
 * With a registry, an unknown model's sighting says which known devices share its firmware
 * (analyze/firmware-link.ts); without one, it shows only what the records hold. The result is
 * deterministic: the same records in any order give the same sightings.
 */
import { firmwareLink, type FirmwareLink } from "../analyze/firmware-link.js";
import { emptyVerdictCounts, FLAGGED } from "../events.js";
import { hasCameraIdentity, VERDICTS_BY_RANK, type DeviceSummary, type Finding, type ScanRecord, type SourceKind, type Verdict } from "../record.js";
import { normalizeModel, type DeviceRegistry } from "../registry/index.js";
import { compareText } from "../util/compare.js";

export type SightingKind = "registered" | "unknown-model" | "unregistered";

/** One value seen (a build, a mode, a fingerprint) and in how many photos (copies count once). */
export interface Seen {
  value: string;
  photos: number;
}

/** When a photo was public, and what says so. */
export interface Publication {
  /** ISO 8601 in UTC. */
  time: string;
  /** `upload`: a photo site's own upload date (a downloader's sidecar); `last-modified`: a server's header. */
  kind: "upload" | "last-modified";
  /** The site (`flickr`) for uploads; the server's host for Last-Modified. */
  site: string | null;
  /** The photo it was read for. */
  source: string;
  /** Where the date comes from: the sidecar file, or the URL that was fetched. */
  evidence: string;
  /** The site's page or file URL, for uploads, when the sidecar gives it. */
  url: string | null;
  /** Who uploaded it, when the sidecar says. */
  uploader: string | null;
}

export interface SightingPhoto {
  /** Every place the photo was found, sorted; more than one: copies with the same SHA-256. */
  sources: string[];
  kinds: SourceKind[];
  sha256: string | null;
  bytes: number | null;
  /** The most newsworthy verdict among the copies. */
  verdict: Verdict;
  /** Findings of every copy, each once (copies of one file differ only in what lay beside them). */
  findings: Finding[];
  model: string | null;
  captured: string | null;
  /** The firmware build without the camera app's suffix, else Software as written. */
  build: string | null;
  /** The earliest publication among the copies. */
  published: Publication | null;
  /** Every publication evidence of the copies, earliest first. */
  publications: Publication[];
}

/** An unknown model's firmware against known devices (names only, so a sighting stays plain data). */
export interface FamilyLink {
  build: string;
  line: string | null;
  /** Devices that list this very build. */
  sameBuild: string[];
  /** Other devices on the same software line. */
  sameLine: string[];
}

export interface Sighting {
  /** Stable across runs for the same device: `device:Sony:Xperia Z1 Compact`, `camera:sony:e9999`. */
  key: string;
  kind: SightingKind;
  /** The registry's vendor, or the photo's Make. */
  vendor: string | null;
  /** The registry's name, or the model as the photo writes it. */
  name: string;
  /** The registry entry, as the records carry it; null for unknown and unregistered cameras. */
  device: DeviceSummary | null;
  /** Distinct photos: copies with the same SHA-256 count once. */
  photos: number;
  /** Records: every place a photo was found. */
  copies: number;
  /** The most newsworthy verdict among the photos. */
  worst: Verdict;
  /** Photos per verdict (copies count once). */
  verdicts: Record<Verdict, number>;
  flagged: number;
  models: Seen[];
  builds: Seen[];
  /** `3264×2448`. */
  modes: Seen[];
  /** JPEG quantization fingerprints (record.image.quantization). */
  quantization: Seen[];
  firstCapture: { captured: string; source: string } | null;
  lastCapture: { captured: string; source: string } | null;
  firstPublication: Publication | null;
  /** For unknown models: known devices that share a build or software line with it (registry given). */
  family: FamilyLink[];
  /** Most newsworthy first, then by capture time, then by source. */
  photoList: SightingPhoto[];
}

/** Verdicts from most to least newsworthy, as a number to sort by. */
export function verdictRank(verdict: Verdict): number {
  return VERDICTS_BY_RANK.indexOf(verdict);
}

/** Capture times compare as text on their local date and time (EXIF times carry no zone). */
export function captureKey(captured: string | null): string {
  return captured === null ? "\uffff" : captured.slice(0, 19);
}

interface Identity {
  key: string;
  kind: SightingKind;
  vendor: string | null;
  name: string;
}

/** Which device a record was shot on; null for records with no camera identity (errors, stripped photos). */
export function sightingIdentity(record: ScanRecord): Identity | null {
  if (record.device !== null) {
    return { key: `device:${record.device.vendor}:${record.device.name}`, kind: "registered", vendor: record.device.vendor, name: record.device.name };
  }
  const camera = record.camera;
  if (camera === null || !hasCameraIdentity(camera)) return null;
  const make = camera.make?.trim() ?? null;
  const model = camera.model?.trim() ?? "";
  const unknown = record.findings.some((finding) => finding.code === "unknown-model");
  return {
    key: `camera:${make?.toLowerCase() ?? ""}:${normalizeModel(model)}`,
    kind: unknown ? "unknown-model" : "unregistered",
    vendor: make,
    name: model === "" ? "(no model)" : model,
  };
}

function buildOf(record: ScanRecord): string | null {
  return record.camera?.firmware?.build ?? record.camera?.software ?? null;
}

function modeOf(record: ScanRecord): string | null {
  const camera = record.camera;
  return camera?.width == null || camera.height == null ? null : `${String(camera.width)}×${String(camera.height)}`;
}

function hostOf(url: string): string | null {
  try {
    return new URL(url).host;
  } catch {
    return null;
  }
}

/**
 * Publication evidence a record carries: a sidecar's upload date, a URL's Last-Modified. Saved
 * scans are untrusted input, so each field is checked before it is used.
 */
export function publicationsOf(record: ScanRecord): Publication[] {
  const found: Publication[] = [];
  const sidecar: unknown = record.sidecar;
  if (typeof sidecar === "object" && sidecar !== null) {
    const { uploaded, file, site, url, uploader } = sidecar as Record<string, unknown>;
    if (typeof uploaded === "string" && !Number.isNaN(Date.parse(uploaded)) && typeof file === "string") {
      found.push({
        time: new Date(Date.parse(uploaded)).toISOString().replace(".000Z", "Z"),
        kind: "upload",
        site: typeof site === "string" ? site : null,
        source: record.source,
        evidence: file,
        url: typeof url === "string" ? url : null,
        uploader: typeof uploader === "string" ? uploader : null,
      });
    }
  }
  const http: unknown = record.http;
  if (typeof http === "object" && http !== null) {
    const { lastModified, final } = http as Record<string, unknown>;
    const ms = typeof lastModified === "string" ? Date.parse(lastModified) : Number.NaN;
    // Before EXIF 1.0 (1995) a Last-Modified is a server's placeholder, not a date (analyze/published.ts).
    if (!Number.isNaN(ms) && ms >= Date.UTC(1995, 0, 1)) {
      const where = typeof final === "string" ? final : record.source;
      found.push({
        time: new Date(ms).toISOString().replace(".000Z", "Z"),
        kind: "last-modified",
        site: hostOf(where),
        source: record.source,
        evidence: where,
        url: where,
        uploader: null,
      });
    }
  }
  return found;
}

function comparePublications(a: Publication, b: Publication): number {
  return compareText(a.time, b.time) || compareText(a.kind, b.kind) || compareText(a.source, b.source) || compareText(a.evidence, b.evidence);
}

/** A photo being gathered: its copies' records. */
interface PhotoAccumulator {
  records: ScanRecord[];
}

interface GroupAccumulator {
  identity: Identity;
  device: DeviceSummary | null;
  /** By SHA-256 (`sha:…`), or by source for records without one. */
  photos: Map<string, PhotoAccumulator>;
  /** A record of the group with Make, Model and Software, for the firmware link. */
  cameras: Map<string, { make: string | null; model: string | null; software: string }>;
}

function countSeen(photos: readonly ScanRecord[][], pick: (record: ScanRecord) => string | null): Seen[] {
  const counts = new Map<string, number>();
  for (const copies of photos) {
    // A value counts once per photo, however many copies carry it.
    const values = new Set(copies.map(pick).filter((value): value is string => value !== null));
    for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  }
  return [...counts].map(([value, photos]) => ({ value, photos })).sort((a, b) => b.photos - a.photos || compareText(a.value, b.value));
}

function photoOf(records: readonly ScanRecord[]): SightingPhoto {
  const sorted = [...records].sort((a, b) => compareText(a.source, b.source));
  const first = sorted[0];
  const verdict = sorted.map((record) => record.verdict).sort((a, b) => verdictRank(a) - verdictRank(b))[0] ?? "error";
  const seen = new Set<string>();
  const findings: Finding[] = [];
  for (const record of sorted) {
    for (const finding of record.findings) {
      const key = `${finding.code}\u0000${finding.message}`;
      if (seen.has(key)) continue;
      seen.add(key);
      findings.push(finding);
    }
  }
  const publications = sorted.flatMap(publicationsOf).sort(comparePublications);
  return {
    sources: sorted.map((record) => record.source),
    kinds: [...new Set(sorted.map((record) => record.kind))].sort(),
    sha256: first?.sha256 ?? null,
    bytes: first?.bytes ?? null,
    verdict,
    findings,
    model: first?.camera?.model ?? null,
    captured: first?.camera?.captured ?? null,
    build: first === undefined ? null : buildOf(first),
    published: publications[0] ?? null,
    publications,
  };
}

function comparePhotos(a: SightingPhoto, b: SightingPhoto): number {
  return (
    verdictRank(a.verdict) - verdictRank(b.verdict) ||
    compareText(captureKey(a.captured), captureKey(b.captured)) ||
    compareText(a.sources[0] ?? "", b.sources[0] ?? "")
  );
}

function familyLinks(group: GroupAccumulator, registry: DeviceRegistry | null): FamilyLink[] {
  if (registry === null || group.identity.kind !== "unknown-model") return [];
  const links = new Map<string, FamilyLink>();
  for (const camera of group.cameras.values()) {
    const lookup = registry.lookup(camera.make, camera.model);
    if (lookup.kind !== "unknown-model") continue;
    const devices = registry.devicesOf(lookup.vendor.vendor);
    const link: FirmwareLink | null = firmwareLink(camera.software, camera.model, devices);
    if (link === null || links.has(link.build)) continue;
    links.set(link.build, {
      build: link.build,
      line: link.line,
      sameBuild: link.sameBuild.map((device) => device.entry.name),
      sameLine: link.sameLine.map((device) => device.entry.name),
    });
  }
  return [...links.values()].sort((a, b) => compareText(a.build, b.build));
}

function sightingOf(group: GroupAccumulator, registry: DeviceRegistry | null): Sighting {
  const copiesByPhoto = [...group.photos.values()].map((photo) => photo.records);
  const photoList = copiesByPhoto.map(photoOf).sort(comparePhotos);
  const verdicts = emptyVerdictCounts();
  for (const photo of photoList) verdicts[photo.verdict]++;
  const worst = VERDICTS_BY_RANK.find((verdict) => verdicts[verdict] > 0) ?? "error";
  const dated = photoList
    .filter((photo) => photo.captured !== null)
    .sort((a, b) => compareText(captureKey(a.captured), captureKey(b.captured)) || compareText(a.sources[0] ?? "", b.sources[0] ?? ""));
  const at = (photo: SightingPhoto | undefined) => (photo?.captured == null ? null : { captured: photo.captured, source: photo.sources[0] ?? "" });
  const publications = photoList.flatMap((photo) => (photo.published === null ? [] : [photo.published])).sort(comparePublications);
  return {
    key: group.identity.key,
    kind: group.identity.kind,
    vendor: group.identity.vendor,
    name: group.identity.name,
    device: group.device,
    photos: photoList.length,
    copies: copiesByPhoto.reduce((sum, copies) => sum + copies.length, 0),
    worst,
    verdicts,
    flagged: verdicts.leak + verdicts.suspicious,
    models: countSeen(copiesByPhoto, (record) => record.camera?.model ?? null),
    builds: countSeen(copiesByPhoto, buildOf),
    modes: countSeen(copiesByPhoto, modeOf),
    quantization: countSeen(copiesByPhoto, (record) => record.image?.quantization ?? null),
    firstCapture: at(dated[0]),
    lastCapture: at(dated.at(-1)),
    firstPublication: publications[0] ?? null,
    family: familyLinks(group, registry),
    photoList,
  };
}

/** Most newsworthy first; among equals, the device sighted first (the story's order). */
export function compareSightings(a: Sighting, b: Sighting): number {
  const firstFlagged = (sighting: Sighting) => captureKey(sighting.photoList.find((photo) => FLAGGED.has(photo.verdict))?.captured ?? null);
  return (
    verdictRank(a.worst) - verdictRank(b.worst) ||
    b.flagged - a.flagged ||
    compareText(firstFlagged(a), firstFlagged(b)) ||
    b.photos - a.photos ||
    compareText(`${a.vendor ?? ""} ${a.name}`, `${b.vendor ?? ""} ${b.name}`) ||
    compareText(a.key, b.key)
  );
}

/** Gathers records into sightings as they arrive; `sightings()` may be called at any time. */
export class SightingsBuilder {
  readonly #registry: DeviceRegistry | null;
  readonly #groups = new Map<string, GroupAccumulator>();
  #records = 0;
  #withoutCamera = 0;

  constructor(registry: DeviceRegistry | null = null) {
    this.#registry = registry;
  }

  /** Records seen, and how many of them name no camera (errors, stripped photos): in no sighting. */
  get counts(): { records: number; withoutCamera: number } {
    return { records: this.#records, withoutCamera: this.#withoutCamera };
  }

  add(record: ScanRecord): void {
    this.#records++;
    const identity = sightingIdentity(record);
    if (identity === null) {
      this.#withoutCamera++;
      return;
    }
    let group = this.#groups.get(identity.key);
    if (group === undefined) {
      group = { identity, device: record.device, photos: new Map(), cameras: new Map() };
      this.#groups.set(identity.key, group);
    }
    // A camera with an unknown-model finding in any photo is the unknown model it claims to be.
    if (identity.kind === "unknown-model") group.identity = { ...group.identity, kind: "unknown-model" };
    group.device ??= record.device;
    const photoKey = record.sha256 === null ? `source:${record.source}` : `sha:${record.sha256}`;
    const photo = group.photos.get(photoKey) ?? { records: [] };
    photo.records.push(record);
    group.photos.set(photoKey, photo);
    const camera = record.camera;
    if (camera?.software != null) {
      const key = JSON.stringify([camera.make, camera.model, camera.software]);
      if (!group.cameras.has(key)) group.cameras.set(key, { make: camera.make, model: camera.model, software: camera.software });
    }
  }

  /** The sightings so far, most newsworthy first. */
  sightings(): Sighting[] {
    return [...this.#groups.values()].map((group) => sightingOf(group, this.#registry)).sort(compareSightings);
  }
}

/** Records (any order, any kind) -> sightings, most newsworthy first. */
export function buildSightings(records: Iterable<ScanRecord>, registry: DeviceRegistry | null = null): Sighting[] {
  const builder = new SightingsBuilder(registry);
  for (const record of records) builder.add(record);
  return builder.sightings();
}
