/**
 * A table for people at a terminal: one line per photo, leaks first, then suspicious photos, then
 * the rest (each group by source), the reasons under each flagged photo, a summary at the end.
 * It fits the width it is given (the CLI passes COLUMNS, the terminal's width, else 100): the
 * widest columns give way first, and a path that must be cut keeps its end, where the file name
 * is. Metadata is untrusted: control, invisible and reordering characters are shown as their
 * code point (`\u200B`), so `D55\u200B03` cannot pass for D5503.
 */
import { VERDICTS_BY_RANK, type ScanRecord, type Verdict } from "../record.js";
import type { ScanSummary } from "../events.js";
import { buildSightings } from "../sightings/index.js";
import { plural } from "../util/words.js";
import { bufferedReporter } from "./buffered.js";
import { visibleText } from "./escape.js";
import { renderSightingsText } from "./sightings.js";
import type { ReporterFactory } from "./types.js";

const COLORS: Partial<Record<Verdict, string>> = {
  leak: "\u001b[1;31m",
  suspicious: "\u001b[33m",
  error: "\u001b[2;31m",
  "no-metadata": "\u001b[2m",
};
const RESET = "\u001b[0m";

/** No cell is wider than this, however wide the terminal: a 1 MB Software tag stays one line. */
const MAX_CELL = 60;
const GAP = "  ";
const HEADER = ["VERDICT", "SOURCE", "MAKE", "MODEL", "FIRMWARE", "CAPTURED", "DEVICE"];
const SOURCE = 1;
const CAPTURED = 5;
/**
 * How the table gives way when it is too wide, step by step, each step taking from its widest
 * column down to a floor: first the other columns to a comfortable width, then the path (keeping
 * its end), then the others to the least that still reads, then the path again. VERDICT never
 * shrinks. Floors by column: VERDICT, SOURCE, MAKE, MODEL, FIRMWARE, CAPTURED (the date), DEVICE.
 */
const SHRINK_STEPS: readonly (readonly number[])[] = [
  [12, Infinity, 6, 10, 10, 10, 12],
  [12, 28, 6, 10, 10, 10, 12],
  [12, 28, 4, 8, 8, 10, 8],
  [12, 12, 4, 8, 8, 10, 8],
];
const INDENT = "    ";

/** Characters, not UTF-16 units: a cut never splits a surrogate pair. */
function chars(text: string): string[] {
  return Array.from(text);
}

function cutEnd(text: string, width: number): string {
  const all = chars(text);
  return all.length <= width ? text : `${all.slice(0, Math.max(0, width - 1)).join("")}…`;
}

/** Keeps the end: `…/phones/apple-iphone-15.jpg`, not `photos/phones/apple-iph…`. */
function cutStart(text: string, width: number): string {
  const all = chars(text);
  return all.length <= width ? text : `…${all.slice(all.length - Math.max(0, width - 1)).join("")}`;
}

function cell(value: string | number | null | undefined): string {
  if (value === null || value === undefined || value === "") return "-";
  return visibleText(String(value));
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

/** Column widths that fit `columns`: the natural widths (capped), then SHRINK_STEPS in turn. */
export function fitWidths(rows: readonly string[][], columns: number): number[] {
  const widths = HEADER.map((_, column) => Math.min(MAX_CELL, Math.max(...rows.map((cells) => chars(cells[column] ?? "").length))));
  const total = (): number => widths.reduce((sum, width) => sum + width, 0) + GAP.length * (widths.length - 1);
  for (const floors of SHRINK_STEPS) {
    while (total() > columns) {
      let widest = -1;
      widths.forEach((width, column) => {
        if (width > (floors[column] ?? 0) && (widest === -1 || width > (widths[widest] ?? 0))) widest = column;
      });
      if (widest === -1) break;
      widths[widest] = (widths[widest] ?? 0) - 1;
    }
  }
  return widths;
}

/** Breaks a reason into lines of at most `width` characters, at spaces where it can. */
function wrap(text: string, first: string, rest: string, width: number): string[] {
  const lines: string[] = [];
  let line = first;
  let prefix = first;
  for (const word of text.split(" ")) {
    const candidate = line === prefix ? `${line}${word}` : `${line} ${word}`;
    if (chars(candidate).length <= width || line === prefix) {
      line = candidate;
      continue;
    }
    lines.push(line);
    prefix = rest;
    line = `${rest}${word}`;
  }
  lines.push(line);
  // A single word longer than the width (a URL, a hash) is cut rather than left to wrap.
  return lines.map((l) => cutEnd(l, width));
}

/** A sightings line within `width`: wrapped at spaces, continuation lines indented a step further. */
function fitLine(line: string, width: number): string[] {
  if (chars(line).length <= width) return [line];
  const indent = /^ */.exec(line)?.[0] ?? "";
  return wrap(line.slice(indent.length), indent, `${indent}${INDENT}`, width);
}

export function summaryLine(summary: ScanSummary): string {
  const counts = Object.entries(summary.verdicts)
    .filter(([, count]) => count > 0)
    .map(([verdict, count]) => `${String(count)} ${verdict}`)
    .join(", ");
  const skipped = summary.skipped > 0 ? `; ${plural(summary.skipped, "file")} skipped (not images)` : "";
  return `${plural(summary.records, "photo")}: ${counts === "" ? "nothing" : counts}${skipped}`;
}

const RANK = new Map(VERDICTS_BY_RANK.map((verdict, index) => [verdict, index]));

/** Leaks first, then suspicious, then the rest in rank order; stable, so each group stays by source. */
function byNews(records: readonly ScanRecord[]): ScanRecord[] {
  return [...records].sort((a, b) => (RANK.get(a.verdict) ?? 0) - (RANK.get(b.verdict) ?? 0));
}

export const tableReporter: ReporterFactory = (sink, options) => {
  const color = options.color ?? false;
  const columns = options.columns ?? Number.POSITIVE_INFINITY;
  return bufferedReporter(async (sorted, summary) => {
    const records = byNews(sorted);
    const rows = [HEADER, ...records.map(row)];
    const widths = fitWidths(rows, columns);
    const lines: string[] = [];
    rows.forEach((cells, index) => {
      const text = cells
        .map((value, column) => {
          const width = widths[column] ?? 0;
          // A capture time without room for its hour keeps the whole date instead of half of it.
          const fitted = column === SOURCE ? cutStart(value, width) : column === CAPTURED && width >= 10 && value.length > width ? value.slice(0, 10) : cutEnd(value, width);
          return fitted.padEnd(width);
        })
        .join(GAP)
        .trimEnd();
      const record = index === 0 ? undefined : records[index - 1];
      const paint = record === undefined || !color ? undefined : COLORS[record.verdict];
      lines.push(paint === undefined ? text : `${paint}${text}${RESET}`);
      if (record === undefined) return;
      for (const finding of record.findings) {
        if (finding.severity === "info") continue;
        const mark = finding.severity === "high" ? "!" : "·";
        lines.push(...wrap(visibleText(finding.message), `${INDENT}${mark} ${finding.code}: `, `${INDENT}  `, columns));
      }
      if (record.error !== null) lines.push(...wrap(visibleText(record.error.message), `${INDENT}${record.error.code}: `, `${INDENT}  `, columns));
      // Damage the readers recovered from: a tag missing from the row may be lost to it.
      for (const warning of record.warnings ?? []) lines.push(...wrap(visibleText(warning.message), `${INDENT}~ ${warning.code}: `, `${INDENT}  `, columns));
    });
    lines.push("", summaryLine(summary));
    if (options.only !== undefined) {
      lines.push(`showing ${plural(records.length, "photo")}: ${options.only.join(", ")} (--only)`);
    }
    // The story per device last (src/sightings/): what a journalist reads first after the rows.
    const sightings = buildSightings(records, options.registry ?? null);
    if (sightings.length > 0) lines.push("", "SIGHTINGS", "", ...renderSightingsText(sightings).split("\n").flatMap((line) => fitLine(line, columns)));
    await sink.write(`${lines.join("\n")}\n`);
  });
};
