/**
 * One photo as a report shows it: its card (PhotoReport) with the capture time against the
 * registry's dates, its chain of custody, and the order photos are listed in.
 */
import type { ScanRecord } from "../record.js";
import { captureDay, parsePartialDate, type PartialDate } from "../registry/index.js";
import { compareText } from "../util/compare.js";
import { plural } from "../util/words.js";
import { captureKey, verdictRank, type SightingPhoto } from "../sightings/index.js";
import { httpCustodyLines, refetchLine } from "./custody.js";
import type { Evidence } from "./evidence-provider.js";
import type { PhotoReport } from "./model-types.js";
import { describePublication } from "./sightings.js";

export { captureKey, verdictRank } from "../sightings/index.js";

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

export function buildOf(record: ScanRecord): string | null {
  return record.camera?.firmware?.build ?? record.camera?.software ?? null;
}

export function comparePhotos(a: ScanRecord, b: ScanRecord): number {
  return (
    verdictRank(a.verdict) - verdictRank(b.verdict) ||
    compareText(captureKey(a.camera?.captured ?? null), captureKey(b.camera?.captured ?? null)) ||
    compareText(a.source, b.source)
  );
}

/** A photo's card; `photo` merges its copies (every place, every publication), null for a lone record. */
export function photoReport(record: ScanRecord, photo: SightingPhoto | null, anchor: string, evidence: Evidence | null): PhotoReport {
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
