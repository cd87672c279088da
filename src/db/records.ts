/** What the hunt log derives from a record: its sighting, whether it can stand for its file, its key. */
import { resolve } from "node:path";
import type { ScanRecord } from "../record.js";

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
