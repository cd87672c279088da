/**
 * The report model: everything an HTML or Markdown report shows, computed once from the records,
 * the registry and an injected EvidenceProvider. Renderers (html.ts, md.ts) are pure functions of
 * it. The model holds untrusted strings as they came; renderers escape them.
 *
 * A report is a function of its inputs only (no clock, no scan timings, no skipped-file count,
 * which NDJSON does not carry): `exifhunt report` rebuilds byte for byte what `scan` wrote.
 */
import { VERDICTS_BY_RANK, type Finding, type FindingCode, type ScanRecord, type SourceKind, type Verdict } from "../record.js";
import { captureDay, parsePartialDate, type DeviceRegistry, type LookupResult, type PartialDate } from "../registry/index.js";
import { withCopyHashes } from "../sightings/copies.js";
import { buildSightings, sightingIdentity, type Sighting, type SightingKind, type SightingPhoto } from "../sightings/index.js";
import { mapConcurrent } from "../util/concurrent.js";
import { httpCustodyLines, refetchLine } from "./custody.js";
import type { Evidence, EvidenceProvider } from "./evidence.js";
import type { Provenance } from "./provenance.js";
import { describeFamily, describePublication, photoCount } from "./sightings.js";
import { timelineSvg } from "./timeline-svg.js";

/** Verdicts whose photos a report proves: thumbnail, evidence, full metadata. As scan.ts's deep pass. */
export const FLAGGED_VERDICTS: ReadonlySet<Verdict> = new Set(["leak", "suspicious"]);

/** Unflagged photos listed per device (the rest are counted): a Flickr dump can hold thousands. */
export const MAX_OTHER_PHOTOS = 50;

/** Photos read again at once for thumbnails and metadata dumps. */
export const DEFAULT_EVIDENCE_CONCURRENCY = 4;

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

/** Finding codes in words, for headings; a code with no title here is shown as the code itself. */
export const FINDING_TITLES: Readonly<Record<FindingCode, string>> = {
  "unknown-model": "Unknown model number",
  "captured-before-announcement": "Shot before the announcement",
  "captured-before-release": "Shot before the release",
  "prerelease-firmware": "Pre-launch firmware",
  "unknown-firmware": "Firmware nobody has seen",
  edited: "Edited after capture",
  "date-inconsistent": "Dates disagree",
  "inconsistent-camera": "Camera does not match the device",
  "no-camera-metadata": "No camera metadata",
  "published-before-announcement": "Published before the announcement",
  "resized-copy": "A resized copy without EXIF",
  "firmware-of-known-device": "Firmware of a known device",
  "uploaded-before-announcement": "Uploaded before the announcement",
};

/** Saved scans may carry codes a later version added: those are shown as written. */
export function findingTitle(code: string): string {
  return Object.hasOwn(FINDING_TITLES, code) ? FINDING_TITLES[code as FindingCode] : code;
}

/** What each verdict means, in one line (the report's legend). */
export const VERDICT_MEANINGS: Readonly<Record<Verdict, string>> = {
  leak: "evidence of an unannounced or unreleased device, or firmware nobody has seen",
  suspicious: "leak evidence, but the metadata shows signs of editing or contradicts itself",
  unregistered: "a camera no registry covers: not evidence of anything by itself",
  known: "a released device on public firmware",
  "no-metadata": "no camera metadata (photo sites strip it from resized copies)",
  error: "could not be read",
};

export function emptyCounts(): Record<Verdict, number> {
  return Object.fromEntries(VERDICTS_BY_RANK.map((verdict) => [verdict, 0])) as Record<Verdict, number>;
}

export function verdictRank(verdict: Verdict): number {
  return VERDICTS_BY_RANK.indexOf(verdict);
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function plural(count: number, word: string): string {
  return `${String(count)} ${word}${count === 1 ? "" : "s"}`;
}

/** Capture times compare as text on their local date and time (EXIF times carry no zone). */
function captureKey(captured: string | null): string {
  return captured === null ? "\uffff" : captured.slice(0, 19);
}

function dimensionsOf(record: ScanRecord): string | null {
  const camera = record.camera;
  if (camera?.width == null || camera.height == null) return null;
  const megapixels = camera.megapixels === null ? "" : ` (${String(camera.megapixels)} MP)`;
  return `${String(camera.width)}×${String(camera.height)}${megapixels}`;
}

/** How a capture day stands against one registry date, in words: `76 days before the announcement (2014-01-06)`. */
function relation(day: number, date: PartialDate, what: string): string {
  const exact = date.firstDay === date.lastDay;
  if (day < date.firstDay) {
    return `${plural(date.firstDay - day, "day")} before ${what} (${date.text}${exact ? "" : ", counted from its first day"})`;
  }
  if (day > date.lastDay) {
    return `${plural(day - date.lastDay, "day")} after ${what} (${date.text}${exact ? "" : ", counted from its last day"})`;
  }
  return exact ? `on the day of ${what} (${date.text})` : `within the period of ${what} (${date.text})`;
}

function timingOf(record: ScanRecord): string[] {
  const captured = record.camera?.captured ?? null;
  if (captured === null) return ["the photo records no capture time"];
  const device = record.device;
  if (device === null) return ["the registry has no announcement or release date for this camera"];
  const day = captureDay(captured);
  if (day === null) return [`capture time ${captured} cannot be read as a date`];
  const announced = device.announced === null ? null : parsePartialDate(device.announced);
  const released = device.released === null ? null : parsePartialDate(device.released);
  return [
    announced === null ? "the registry gives no announcement date" : relation(day, announced, "the announcement"),
    released === null ? "the registry gives no release date" : relation(day, released, "the release"),
  ];
}

/** Where a photo came from, beyond its path: what a journalist cites for URLs and archive entries. */
export function custodyOf(record: ScanRecord, evidence: Evidence | null = null): string[] {
  if (record.kind === "url") {
    const refetched = evidence?.refetched;
    return [
      `fetched from ${record.source}`,
      ...(record.http == null ? [] : httpCustodyLines(record.http)),
      ...(refetched === undefined ? [] : [refetchLine(refetched)]),
    ];
  }
  if (record.kind === "archive-entry") {
    const cut = record.source.indexOf("!/");
    return cut === -1 ? [] : [`entry ${record.source.slice(cut + 2)} of archive ${record.source.slice(0, cut)}`];
  }
  return [];
}

function buildOf(record: ScanRecord): string | null {
  return record.camera?.firmware?.build ?? record.camera?.software ?? null;
}

interface Group {
  key: string;
  kind: DeviceKind;
  vendor: string | null;
  name: string;
  records: ScanRecord[];
}

function countValues(records: readonly ScanRecord[], pick: (record: ScanRecord) => string | null): ValueCount[] {
  const counts = new Map<string, ValueCount>();
  for (const record of records) {
    const value = pick(record);
    if (value === null) continue;
    const entry = counts.get(value) ?? { value, photos: 0, flagged: 0 };
    entry.photos++;
    if (FLAGGED_VERDICTS.has(record.verdict)) entry.flagged++;
    counts.set(value, entry);
  }
  return [...counts.values()].sort((a, b) => b.photos - a.photos || compareText(a.value, b.value));
}

function modeText(width: number, height: number): string {
  return `${String(width)}×${String(height)}`;
}

function registryView(group: Group, lookup: LookupResult | null): RegistryView {
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

function observedView(group: Group, lookup: LookupResult | null): ObservedView {
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

function comparePhotos(a: ScanRecord, b: ScanRecord): number {
  return (
    verdictRank(a.verdict) - verdictRank(b.verdict) ||
    compareText(captureKey(a.camera?.captured ?? null), captureKey(b.camera?.captured ?? null)) ||
    compareText(a.source, b.source)
  );
}

function photoReport(record: ScanRecord, photo: SightingPhoto | null, anchor: string, evidence: Evidence | null): PhotoReport {
  const camera = record.camera;
  return {
    anchor,
    source: record.source,
    places: photo?.sources ?? [record.source],
    publications: (photo?.publications ?? []).map(describePublication),
    kind: record.kind,
    verdict: photo?.verdict ?? record.verdict,
    findings: photo?.findings ?? record.findings,
    make: camera?.make ?? null,
    model: camera?.model ?? null,
    software: camera?.software ?? null,
    build: camera?.firmware?.build ?? null,
    suffix: camera?.firmware?.suffix ?? null,
    captured: camera?.captured ?? null,
    dimensions: dimensionsOf(record),
    timing: timingOf(record),
    sha256: record.sha256,
    bytes: record.bytes,
    format: record.format,
    custody: custodyOf(record, evidence),
    thumbnail: evidence?.thumbnail ?? null,
    problem: evidence === null ? null : evidence.problem ?? (evidence.thumbnail === null ? "no thumbnail could be made" : null),
  };
}

function timelineOf(devices: readonly DeviceReport[]): TimelineEntry[] {
  // Sort keys beside each entry: the day, then announced < released < captured on the same day.
  const entries: { entry: TimelineEntry; day: number; order: number }[] = [];
  const undated: TimelineEntry[] = [];
  for (const device of devices) {
    if (device.flagged.length === 0) continue;
    const label = device.vendor === null ? device.name : `${device.vendor} ${device.name}`;
    const milestones: [TimelineEvent, string | null][] = [["announced", device.registry.announced], ["released", device.registry.released]];
    for (const [event, text] of milestones) {
      const date = text === null ? null : parsePartialDate(text);
      if (date === null) continue;
      // A partial date (`2014-01`) sits at its middle: before its first day it would precede an
      // announcement made within the same month.
      const day = (date.firstDay + date.lastDay) / 2;
      const entry: TimelineEntry = { date: date.text, event, device: label, deviceAnchor: device.anchor, photo: null, note: "" };
      entries.push({ entry, day, order: event === "announced" ? 0 : 1 });
    }
    for (const photo of device.flagged) {
      const day = photo.captured === null ? null : captureDay(photo.captured);
      const entry: TimelineEntry = {
        date: photo.captured?.replace("T", " ") ?? "capture time unknown",
        event: "captured",
        device: label,
        deviceAnchor: device.anchor,
        photo: { source: photo.source, anchor: photo.anchor, verdict: photo.verdict },
        note: photo.captured === null ? "" : photo.timing.join("; "),
      };
      if (day === null) undated.push(entry);
      else entries.push({ entry, day, order: 2 });
    }
    // When the flagged photos were public: a photo site's upload, a server's Last-Modified.
    const cards = new Map(device.flagged.map((photo) => [photo.source, photo]));
    for (const photo of device.sighting.photoList) {
      const card = cards.get(photo.sources[0] ?? "");
      if (card === undefined) continue;
      for (const publication of photo.publications) {
        const ms = Date.parse(publication.time);
        const entry: TimelineEntry = {
          date: `${publication.time.slice(0, 10)} ${publication.time.slice(11, 19)} UTC`,
          event: "published",
          device: label,
          deviceAnchor: device.anchor,
          photo: { source: card.source, anchor: card.anchor, verdict: card.verdict },
          note: describePublication(publication),
        };
        entries.push({ entry, day: ms / 86_400_000, order: 3 });
      }
    }
  }
  entries.sort((a, b) =>
    a.day - b.day ||
    a.order - b.order ||
    compareText(a.entry.date, b.entry.date) ||
    compareText(a.entry.device, b.entry.device) ||
    compareText(a.entry.photo?.source ?? "", b.entry.photo?.source ?? ""),
  );
  return [...entries.map(({ entry }) => entry), ...undated];
}

async function gatherEvidence(records: readonly ScanRecord[], provider: EvidenceProvider, concurrency: number): Promise<Map<ScanRecord, Evidence>> {
  const gathered = new Map<ScanRecord, Evidence>();
  async function* each(): AsyncGenerator<ScanRecord> {
    yield* records;
  }
  for await (const [record, evidence] of mapConcurrent(each(), concurrency, async (record) => [record, await provider.evidence(record)] as const)) {
    gathered.set(record, evidence);
  }
  return gathered;
}

/** Builds the report model. The only I/O is what the injected EvidenceProvider and hasher do. */
export async function buildReportModel(inputs: ReportInputs): Promise<ReportModel> {
  const sortedRecords = [...inputs.records].sort((a, b) => compareText(a.source, b.source));
  // Copies of a flagged photo the scan did not hash are hashed now, so they merge into one card.
  const records = inputs.hasher === undefined ? sortedRecords : await withCopyHashes(sortedRecords, inputs.hasher);
  const verdicts = emptyCounts();
  for (const record of records) verdicts[record.verdict]++;

  const groups = new Map<string, Group>();
  for (const record of records) {
    const identity = sightingIdentity(record);
    if (identity === null) continue;
    const group = groups.get(identity.key) ?? { ...identity, records: [] };
    // A camera with an unknown-model finding in any photo is the unknown model it claims to be.
    if (identity.kind === "unknown-model") group.kind = "unknown-model";
    group.records.push(record);
    groups.set(identity.key, group);
  }
  const sightings = new Map(buildSightings(records, inputs.registry).map((sighting) => [sighting.key, sighting]));
  const bySource = new Map(records.map((record) => [record.source, record]));
  /** One record per flagged photo: the first place of each (copies share its bytes). */
  const shownRecord = (photo: SightingPhoto): ScanRecord | undefined => bySource.get(photo.sources[0] ?? "");
  const flaggedPhotos = [...sightings.values()].flatMap((sighting) => sighting.photoList.filter((photo) => FLAGGED_VERDICTS.has(photo.verdict)));

  const flaggedRecords = records.filter((record) => FLAGGED_VERDICTS.has(record.verdict));
  const toRead = flaggedPhotos.map(shownRecord).filter((record): record is ScanRecord => record !== undefined);
  const evidence = inputs.evidence === null
    ? new Map<ScanRecord, Evidence>()
    : await gatherEvidence(toRead, inputs.evidence, inputs.evidenceConcurrency ?? DEFAULT_EVIDENCE_CONCURRENCY);

  const sorted = [...groups.values()].map((group) => {
    const counts = emptyCounts();
    for (const record of group.records) counts[record.verdict]++;
    const worst = VERDICTS_BY_RANK.find((verdict) => counts[verdict] > 0) ?? "error";
    const firstSighting = group.records
      .filter((record) => FLAGGED_VERDICTS.has(record.verdict))
      .map((record) => captureKey(record.camera?.captured ?? null))
      .sort()[0] ?? captureKey(null);
    return { group, counts, worst, flagged: counts.leak + counts.suspicious, firstSighting };
  }).sort((a, b) =>
    // Most newsworthy first; among equals, the device sighted first (the story's order).
    verdictRank(a.worst) - verdictRank(b.worst) ||
    b.flagged - a.flagged ||
    compareText(a.firstSighting, b.firstSighting) ||
    b.group.records.length - a.group.records.length ||
    compareText(`${a.group.vendor ?? ""} ${a.group.name}`, `${b.group.vendor ?? ""} ${b.group.name}`),
  );

  let photoNumber = 0;
  const appendix: AppendixEntry[] = [];
  const card = (record: ScanRecord, photo: SightingPhoto): PhotoReport => {
    const anchor = `photo-${String(++photoNumber)}`;
    const found = evidence.get(record) ?? null;
    if (inputs.evidence !== null) {
      appendix.push({ anchor, source: record.source, tags: found?.tags == null ? null : Object.entries(found.tags), problem: found?.problem ?? null });
    }
    return photoReport(record, photo, anchor, inputs.evidence === null ? null : found);
  };
  const devices = sorted.map(({ group, counts, worst }, index): DeviceReport => {
    const first = group.records[0];
    const lookup = inputs.registry === null || first?.camera == null ? null : inputs.registry.lookup(first.camera.make, first.camera.model);
    const sighting = sightings.get(group.key);
    if (sighting === undefined) throw new Error(`no sighting for ${group.key}`); // built from the same records
    const ordered = [...group.records].sort(comparePhotos);
    const others = ordered.filter((record) => !FLAGGED_VERDICTS.has(record.verdict));
    const flagged = sighting.photoList
      .filter((photo) => FLAGGED_VERDICTS.has(photo.verdict))
      .flatMap((photo) => {
        const record = shownRecord(photo);
        return record === undefined ? [] : [{ record, photo }];
      })
      .sort((a, b) => comparePhotos(a.record, b.record));
    return {
      anchor: `device-${String(index + 1)}`,
      kind: group.kind,
      vendor: group.vendor,
      name: group.name,
      worst,
      counts,
      photos: group.records.length,
      photoCount: photoCount(sighting),
      sighting,
      timelineSvg: timelineSvg(sighting),
      firstPublication: sighting.firstPublication === null ? null : describePublication(sighting.firstPublication),
      family: describeFamily(sighting),
      registry: registryView(group, lookup),
      observed: observedView(group, lookup),
      flagged: flagged.map(({ record, photo }) => card(record, photo)),
      others: others.slice(0, MAX_OTHER_PHOTOS).map((record) => ({
        source: record.source,
        verdict: record.verdict,
        build: buildOf(record),
        captured: record.camera?.captured ?? null,
      })),
      othersOmitted: Math.max(0, others.length - MAX_OTHER_PHOTOS),
    };
  });

  const shown = devices.flatMap((device) => device.flagged);
  return {
    registryVersion: inputs.registryVersion,
    provenance: inputs.provenance ?? null,
    photos: records.length,
    verdicts,
    flagged: flaggedRecords.length,
    devices,
    timeline: timelineOf(devices),
    appendix,
    errors: records
      .filter((record) => record.error !== null)
      .map((record) => ({ source: record.source, code: record.error?.code ?? "error", message: record.error?.message ?? "" })),
    evidenceGathered: inputs.evidence !== null,
    unavailable: shown.filter((photo) => photo.problem !== null).length,
  };
}
