/**
 * The report model (its shape is model-types.ts): everything an HTML or Markdown report shows,
 * computed once from the records, the registry and an injected EvidenceProvider. Renderers
 * (html.ts, md.ts) are pure functions of it. The model holds untrusted strings as they came; renderers escape them.
 *
 * A report is a function of its inputs only (no clock, no scan timings, no skipped-file count,
 * which NDJSON does not carry; the time it names is injected with its provenance): `exifhunt
 * report` rebuilds byte for byte what `scan` wrote, but for the command line that made each.
 */
import { emptyVerdictCounts, FLAGGED } from "../events.js";
import { VERDICTS_BY_RANK, type ScanRecord } from "../record.js";
import { compareText } from "../util/compare.js";
import { mapConcurrent } from "../util/concurrent.js";
import { withCopyHashes } from "../sightings/copies.js";
import { buildSightings, sightingIdentity, type SightingPhoto } from "../sightings/index.js";
import { observedView, registryView, type Group } from "./device.js";
import type { Evidence, EvidenceProvider } from "./evidence-provider.js";
import type { AppendixEntry, DeviceReport, PhotoReport, ReportInputs, ReportModel } from "./model-types.js";
import { buildOf, captureKey, comparePhotos, photoReport, verdictRank } from "./photo.js";
import { describeFamily, describePublication, photoCount } from "./sightings.js";
import { timelineOf } from "./timeline.js";
import { timelineSvg } from "./timeline-svg.js";

/** Unflagged photos listed per device (the rest are counted): a Flickr dump can hold thousands. */
export const MAX_OTHER_PHOTOS = 50;

/** Photos read again at once for thumbnails and metadata dumps. */
export const DEFAULT_EVIDENCE_CONCURRENCY = 4;

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
  const verdicts = emptyVerdictCounts();
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
  // The sections are the sightings: one card per flagged photo, its copies merged.
  const sightings = new Map(buildSightings(records, inputs.registry).map((sighting) => [sighting.key, sighting]));
  const bySource = new Map(records.map((record) => [record.source, record]));
  /** The record a photo's card shows: its first place (copies share its bytes). */
  const shownRecord = (photo: SightingPhoto): ScanRecord | undefined => bySource.get(photo.sources[0] ?? "");
  const flaggedPhotos = [...sightings.values()].flatMap((sighting) => sighting.photoList.filter((photo) => FLAGGED.has(photo.verdict)));

  const flaggedRecords = records.filter((record) => FLAGGED.has(record.verdict));
  // Evidence is read once per photo, not once per copy.
  const toRead = flaggedPhotos.map(shownRecord).filter((record): record is ScanRecord => record !== undefined);
  const evidence = inputs.evidence === null
    ? new Map<ScanRecord, Evidence>()
    : await gatherEvidence(toRead, inputs.evidence, inputs.evidenceConcurrency ?? DEFAULT_EVIDENCE_CONCURRENCY);

  const sorted = [...groups.values()].map((group) => {
    const counts = emptyVerdictCounts();
    for (const record of group.records) counts[record.verdict]++;
    const worst = VERDICTS_BY_RANK.find((verdict) => counts[verdict] > 0) ?? "error";
    const firstSighting = group.records
      .filter((record) => FLAGGED.has(record.verdict))
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
  const devices = sorted.flatMap(({ group, worst }, index): DeviceReport[] => {
    const sighting = sightings.get(group.key);
    // Never missing: groups and sightings are made from the same records by the same identity.
    if (sighting === undefined) return [];
    const first = group.records[0];
    const lookup = inputs.registry === null || first?.camera == null ? null : inputs.registry.lookup(first.camera.make, first.camera.model);
    const others = [...group.records].sort(comparePhotos).filter((record) => !FLAGGED.has(record.verdict));
    const flagged = sighting.photoList
      .filter((photo) => FLAGGED.has(photo.verdict))
      .flatMap((photo) => {
        const record = shownRecord(photo);
        return record === undefined ? [] : [{ record, photo }];
      })
      .sort((a, b) => comparePhotos(a.record, b.record));
    return [{
      anchor: `device-${String(index + 1)}`,
      kind: group.kind,
      vendor: group.vendor,
      name: group.name,
      worst,
      // Photos per verdict, copies of one file counted once (the summary says "1 photo (5 copies)").
      counts: sighting.verdicts,
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
    }];
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
