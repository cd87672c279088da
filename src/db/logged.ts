/**
 * What the hunt log knows of its photos, for `exifhunt sightings --db` (commands/sightings.ts):
 * the current record of each photo, when exifhunt first met it and which scans met it. The grouping
 * by device is the sightings module's (src/sightings/), one for saved scans and hunt logs alike.
 */
import type { ScanRecord } from "../record.js";
import type { HuntLog } from "./huntlog.js";

export interface LoggedRecord {
  record: ScanRecord;
  /** When the scan that first met this photo started (ISO 8601, UTC), and its id. */
  firstSeen: string;
  firstScan: number;
  /** Ids of every scan that met this photo, ascending. */
  scans: number[];
}

interface Row {
  record: string;
  first_seen: string;
  first_scan_id: number;
  scans: string | null;
}

/** The current records of a log's photos (skipped and unreadable-only photos have none), by key. */
export function loggedRecords(log: HuntLog): LoggedRecord[] {
  const rows = log.db
    .prepare<[], Row>(`
      SELECT r.record, s.started_at AS first_seen, p.first_scan_id,
             (SELECT group_concat(scan_id) FROM (
                SELECT DISTINCT sr.scan_id FROM scan_records AS sr JOIN records AS a ON a.id = sr.record_id
                WHERE a.photo_id = p.id ORDER BY sr.scan_id)) AS scans
      FROM photos AS p JOIN records AS r ON r.id = p.record_id JOIN scans AS s ON s.id = p.first_scan_id
      ORDER BY p.key`)
    .all();
  return rows.map((row) => ({
    record: JSON.parse(row.record) as ScanRecord,
    firstSeen: row.first_seen,
    firstScan: row.first_scan_id,
    scans: row.scans === null ? [] : row.scans.split(",").map(Number),
  }));
}
