/**
 * Sightings across every scan of a hunt log: the current record of each photo the log knows,
 * grouped by device (the registry entry a photo matched, else its Make and Model), with when the
 * photos were taken (first seen in the data) and when exifhunt first met them (first seen by
 * exifhunt), their builds and where they were found. Copies (same SHA-256) count as one photo.
 */
import { VERDICTS_BY_RANK, type ScanRecord, type Verdict } from "../record.js";
import { HuntLog } from "./huntlog.js";

export interface LoggedPhoto {
  source: string;
  /** Every place a copy (same SHA-256) of it was found, sorted. */
  sources: string[];
  sha256: string | null;
  verdict: Verdict;
  captured: string | null;
  build: string | null;
  /** When the scan that first met this photo started (ISO 8601, UTC). */
  firstSeen: string;
  firstScan: number;
}

export interface LoggedSighting {
  key: string;
  /** The registry device's name, else `Make Model` as the photos say. */
  device: string;
  vendor: string | null;
  /** The most newsworthy verdict among its photos. */
  verdict: Verdict;
  photos: number;
  copies: number;
  builds: string[];
  firstCaptured: string | null;
  lastCaptured: string | null;
  /** The first scan that met one of its photos: when exifhunt first saw the device. */
  firstSeen: string;
  firstScan: number;
  /** Scans that met one of its photos. */
  scans: number;
  entries: LoggedPhoto[];
}

interface Row {
  device_key: string | null;
  record: string;
  first_seen: string;
  first_scan_id: number;
}

const rank = (verdict: Verdict): number => VERDICTS_BY_RANK.indexOf(verdict);

function minimum(values: readonly (string | null)[]): string | null {
  return values.reduce<string | null>((low, value) => (value !== null && (low === null || value < low) ? value : low), null);
}

function maximum(values: readonly (string | null)[]): string | null {
  return values.reduce<string | null>((high, value) => (value !== null && (high === null || value > high) ? value : high), null);
}

/** The current records of a log's photos, each with when exifhunt first saw the photo. */
export function loggedRecords(log: HuntLog): { record: ScanRecord; deviceKey: string | null; firstSeen: string; firstScan: number }[] {
  const rows = log.db
    .prepare<[], Row>(`
      SELECT r.device_key, r.record, s.started_at AS first_seen, p.first_scan_id
      FROM photos AS p JOIN records AS r ON r.id = p.record_id JOIN scans AS s ON s.id = p.first_scan_id
      ORDER BY p.key`)
    .all();
  return rows.map((row) => ({ record: JSON.parse(row.record) as ScanRecord, deviceKey: row.device_key, firstSeen: row.first_seen, firstScan: row.first_scan_id }));
}

/** How many scans met a photo of each device. */
function scansPerDevice(log: HuntLog): Map<string, number> {
  const rows = log.db
    .prepare<[], { device_key: string; scans: number }>(`
      SELECT r.device_key, count(DISTINCT sr.scan_id) AS scans
      FROM scan_records AS sr JOIN records AS r ON r.id = sr.record_id
      WHERE r.device_key IS NOT NULL GROUP BY r.device_key`)
    .all();
  return new Map(rows.map((row) => [row.device_key, row.scans]));
}

/** Every sighting in the log, the most newsworthy first, then by when exifhunt first saw it. */
export function logSightings(log: HuntLog): LoggedSighting[] {
  const groups = new Map<string, ReturnType<typeof loggedRecords>>();
  for (const entry of loggedRecords(log)) {
    if (entry.deviceKey === null) continue;
    const group = groups.get(entry.deviceKey) ?? [];
    group.push(entry);
    groups.set(entry.deviceKey, group);
  }
  const scans = scansPerDevice(log);
  const sightings: LoggedSighting[] = [];
  for (const [key, entries] of groups) {
    // Copies: one photo per SHA-256 (photos without one are each their own).
    const photos = new Map<string, LoggedPhoto>();
    for (const { record, firstSeen, firstScan } of entries) {
      const id = record.sha256 ?? `source:${record.source}`;
      const known = photos.get(id);
      if (known !== undefined) {
        known.sources = [...known.sources, record.source].sort();
        if (firstSeen < known.firstSeen) Object.assign(known, { firstSeen, firstScan });
        if (rank(record.verdict) < rank(known.verdict)) known.verdict = record.verdict;
        continue;
      }
      photos.set(id, {
        source: record.source,
        sources: [record.source],
        sha256: record.sha256,
        verdict: record.verdict,
        captured: record.camera?.captured ?? null,
        build: record.camera?.firmware?.build ?? record.camera?.software ?? null,
        firstSeen,
        firstScan,
      });
    }
    const list = [...photos.values()].sort((a, b) => (a.firstSeen < b.firstSeen ? -1 : a.firstSeen > b.firstSeen ? 1 : a.source < b.source ? -1 : 1));
    const first = entries[0]?.record;
    const device = first?.device?.name ?? [first?.camera?.make, first?.camera?.model].filter((v) => v !== null && v !== undefined).join(" ");
    const earliest = list[0];
    if (earliest === undefined) continue;
    sightings.push({
      key,
      device,
      vendor: first?.device?.vendor ?? null,
      verdict: list.reduce<Verdict>((best, p) => (rank(p.verdict) < rank(best) ? p.verdict : best), "error"),
      photos: list.length,
      copies: entries.length,
      builds: [...new Set(list.map((p) => p.build).filter((b): b is string => b !== null))].sort(),
      firstCaptured: minimum(list.map((p) => p.captured)),
      lastCaptured: maximum(list.map((p) => p.captured)),
      firstSeen: earliest.firstSeen,
      firstScan: earliest.firstScan,
      scans: scans.get(key) ?? 0,
      entries: list,
    });
  }
  return sightings.sort((a, b) => rank(a.verdict) - rank(b.verdict) || (a.firstSeen < b.firstSeen ? -1 : a.firstSeen > b.firstSeen ? 1 : 0) || (a.key < b.key ? -1 : 1));
}
