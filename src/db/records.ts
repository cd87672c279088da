/** What the hunt log derives from a record: its content digest, its sighting, whether it can be reused. */
import { resolve } from "node:path";
import { createHash } from "node:crypto";
import type { ScanRecord } from "../record.js";

/**
 * A record's content without where it was found: two scans of one unchanged photo give the same
 * digest, so the second one's record is the row already stored (and not new).
 */
export function recordDigest(record: ScanRecord): string {
  const content: Partial<ScanRecord> = { ...record };
  delete content.source;
  delete content.http;
  return createHash("sha256").update(JSON.stringify(content)).digest("hex");
}

/** The sighting a record belongs to: the registry device when one matched, else the camera's Make and Model. */
export function deviceKey(record: ScanRecord): string | null {
  if (record.device !== null) return `device:${record.device.vendor}/${record.device.name}`;
  const camera = record.camera;
  if (camera === null || (camera.make === null && camera.model === null)) return null;
  return `camera:${(camera.make ?? "").trim().toLowerCase()}/${(camera.model ?? "").trim()}`;
}

/** Records whose reading says something about the file itself, and so can stand for it next time. */
export function reusable(record: ScanRecord): boolean {
  if (record.error === null) return true;
  return record.error.code === "not-an-image" || record.error.code === "empty-file";
}

/** Where a photo is in the log: a local file by its absolute path, anything else by its source. */
export function photoKey(source: string, kind: string): string {
  return kind === "file" ? resolve(source) : source;
}
