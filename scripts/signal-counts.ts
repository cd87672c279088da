/**
 * How often each authenticity signal fires over the shared corpus: per folder, the number of
 * photos with each finding code (and its severities), plus each finding with --list.
 *
 *   node --import tsx scripts/signal-counts.ts [--list]
 */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { scan, type FindingCode, type ScanRecord } from "../src/index.js";

const SHARED = fileURLToPath(new URL("../../shared/", import.meta.url));
const FOLDERS = ["corpus/phones", "corpus/cameras", "corpus/formats", "corpus/broken", "corpus/fuzzing", "scenarios"];
const SIGNALS: readonly FindingCode[] = ["edited", "date-inconsistent", "inconsistent-camera"];
const list = process.argv.includes("--list");

if (!existsSync(SHARED)) {
  console.error(`no shared corpus at ${SHARED}`);
  process.exitCode = 1;
} else {
  const totals = new Map<string, number>();
  const rows: string[][] = [["folder", "photos", ...SIGNALS, "suspicious"]];
  for (const folder of FOLDERS) {
    // One scan per folder: sibling comparison groups photos within a scan.
    const { records } = await scan([`${SHARED}${folder}`]);
    const photos = records.filter((r: ScanRecord) => r.camera !== null);
    const cells = SIGNALS.map((code) => {
      const hits = photos.filter((r) => r.findings.some((f) => f.code === code));
      const bySeverity = new Map<string, number>();
      for (const r of hits) {
        for (const f of r.findings.filter((x) => x.code === code)) bySeverity.set(f.severity, (bySeverity.get(f.severity) ?? 0) + 1);
      }
      totals.set(code, (totals.get(code) ?? 0) + hits.length);
      const detail = [...bySeverity].map(([severity, n]) => `${severity} ${String(n)}`).join(", ");
      return hits.length === 0 ? "0" : `${String(hits.length)} (${detail})`;
    });
    const suspicious = records.filter((r) => r.verdict === "suspicious").length;
    totals.set("suspicious", (totals.get("suspicious") ?? 0) + suspicious);
    totals.set("photos", (totals.get("photos") ?? 0) + photos.length);
    rows.push([folder, String(photos.length), ...cells, String(suspicious)]);
    if (list) {
      for (const r of records) {
        for (const f of r.findings.filter((x) => SIGNALS.includes(x.code))) {
          console.log(`${r.source.slice(SHARED.length)}\t${f.code}\t${f.severity}\t${f.message}`);
        }
      }
    }
  }
  rows.push(["total", String(totals.get("photos") ?? 0), ...SIGNALS.map((code) => String(totals.get(code) ?? 0)), String(totals.get("suspicious") ?? 0)]);
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((row) => (row[i] ?? "").length))) ?? [];
  for (const row of rows) console.log(row.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join("  "));
  console.log("\nphotos: images read (records without an error); a signal counts photos with at least one finding of that code.");
}
