/**
 * Sibling comparison across one scan: photos from the same device and firmware normally share
 * their JPEG quantization tables (the firmware's encoder writes them). One whose tables differ
 * from all its siblings' — while those agree among themselves — was re-encoded or made by another
 * camera. This needs every record of the scan, so it is a pure post-pass over records: scan() and
 * the buffered reports apply it; streaming NDJSON and CSV cannot (see docs/authenticity.md).
 */
import type { Finding, ScanRecord } from "../record.js";
import { isEdited } from "./edited.js";
import { withDoubts } from "./index.js";

/** Siblings needed, all agreeing, before a differing photo is called out. */
export const MIN_SIBLINGS = 3;

/** Device (registry name, else Make and Model) and the Software string, exactly as written. */
function groupKey(record: ScanRecord): string | null {
  const camera = record.camera;
  if (camera === null || record.image?.quantization == null) return null;
  const device = record.device?.name ?? (camera.model === null ? null : `${camera.make ?? ""} ${camera.model}`.trim());
  if (device === null) return null;
  return JSON.stringify([device, camera.software]);
}

function describeDevice(record: ScanRecord): string {
  const name = record.device?.name ?? record.camera?.model ?? "this camera";
  const software = record.camera?.software;
  return software === null || software === undefined ? name : `${name} on ${software}`;
}

/** The findings sibling comparison adds, per record (records with none are left out). */
export function siblingFindings(records: readonly ScanRecord[]): Map<ScanRecord, Finding[]> {
  const groups = new Map<string, ScanRecord[]>();
  for (const record of records) {
    const key = groupKey(record);
    if (key === null) continue;
    const group = groups.get(key) ?? [];
    group.push(record);
    groups.set(key, group);
  }
  const added = new Map<ScanRecord, Finding[]>();
  for (const group of groups.values()) {
    if (group.length <= MIN_SIBLINGS) continue;
    for (const record of group) {
      const own = record.image?.quantization;
      const others = new Set(group.filter((other) => other !== record).map((other) => other.image?.quantization));
      const [shared] = others;
      if (others.size !== 1 || shared == null || own == null || shared === own) continue;
      const explained = isEdited(record.findings);
      const finding: Finding = {
        code: "inconsistent-camera",
        severity: explained ? "low" : "medium",
        message: `its JPEG compression tables (quantization tables, fingerprint ${own}) differ from those of the ${String(group.length - 1)} other photos of ${describeDevice(record)} in this scan, which all share ${shared}: the pixels were re-encoded by other software${explained ? " (as the editing found in the file says)" : " or come from another camera"}`,
      };
      added.set(record, [finding]);
    }
  }
  return added;
}

/** The records with sibling findings added and verdicts updated (a contradicted leak becomes suspicious). */
export function withSiblingFindings(records: readonly ScanRecord[]): ScanRecord[] {
  const added = siblingFindings(records);
  return records.map((record) => {
    const extra = added.get(record);
    if (extra === undefined) return record;
    const findings = [...record.findings, ...extra];
    return { ...record, findings, verdict: withDoubts(record.verdict, findings) };
  });
}
