/**
 * A table for people at a terminal: one line per photo sorted by source, the reasons under each
 * flagged photo, a summary at the end. Metadata is untrusted: control characters are stripped.
 */
import type { ScanRecord, Verdict } from "../record.js";
import type { ScanSummary } from "../events.js";
import { plural } from "../util/words.js";
import { bufferedReporter } from "./buffered.js";
import { stripControl, truncate } from "./text.js";
import type { ReporterFactory } from "./types.js";

const COLORS: Partial<Record<Verdict, string>> = {
  leak: "\u001b[1;31m",
  suspicious: "\u001b[33m",
  error: "\u001b[2;31m",
  "no-metadata": "\u001b[2m",
};
const RESET = "\u001b[0m";

const MAX_CELL = 48;

function cell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return "-";
  return truncate(stripControl(String(value)), MAX_CELL);
}

function row(record: ScanRecord): string[] {
  const camera = record.camera;
  const device = record.device === null ? null : `${record.device.vendor} ${record.device.name}`;
  return [
    record.verdict,
    cell(record.source),
    cell(camera?.make),
    cell(camera?.model),
    cell(camera?.firmware?.build ?? camera?.software),
    cell(camera?.captured?.replace("T", " ")),
    cell(device),
  ];
}

const HEADER = ["VERDICT", "SOURCE", "MAKE", "MODEL", "FIRMWARE", "CAPTURED", "DEVICE"];

export function summaryLine(summary: ScanSummary): string {
  const counts = Object.entries(summary.verdicts)
    .filter(([, count]) => count > 0)
    .map(([verdict, count]) => `${String(count)} ${verdict}`)
    .join(", ");
  const skipped = summary.skipped > 0 ? `; ${plural(summary.skipped, "file")} skipped (not images)` : "";
  return `${plural(summary.records, "photo")}: ${counts === "" ? "nothing" : counts}${skipped}`;
}

export const tableReporter: ReporterFactory = (sink, options) => {
  const color = options.color ?? false;
  return bufferedReporter(async (records, summary) => {
    const rows = [HEADER, ...records.map(row)];
    const widths = HEADER.map((_, column) => Math.max(...rows.map((cells) => (cells[column] ?? "").length)));
    const lines: string[] = [];
    rows.forEach((cells, index) => {
      const text = cells.map((value, column) => value.padEnd(widths[column] ?? 0)).join("  ").trimEnd();
      const record = index === 0 ? undefined : records[index - 1];
      const paint = record === undefined || !color ? undefined : COLORS[record.verdict];
      lines.push(paint === undefined ? text : `${paint}${text}${RESET}`);
      if (record === undefined) return;
      for (const finding of record.findings) {
        if (finding.severity === "info") continue;
        lines.push(`    ${finding.severity === "high" ? "!" : "·"} ${finding.code}: ${stripControl(finding.message)}`);
      }
      if (record.error !== null) lines.push(`    ${record.error.code}: ${stripControl(record.error.message)}`);
    });
    lines.push("", summaryLine(summary));
    await sink.write(`${lines.join("\n")}\n`);
  });
};
