/**
 * CSV (RFC 4180) for spreadsheets: a header row, one row per record in completion order, findings
 * joined. Cells that a spreadsheet would run as a formula are neutralised.
 */
import type { ScanRecord } from "../record.js";
import { truncateCounted } from "./text.js";
import type { ReporterFactory } from "./types.js";

type Cell = string | number | null;

export const CSV_COLUMNS: readonly (readonly [string, (record: ScanRecord) => Cell])[] = [
  ["source", (r) => r.source],
  ["kind", (r) => r.kind],
  ["verdict", (r) => r.verdict],
  ["finding_codes", (r) => r.findings.map((f) => f.code).join(";")],
  ["findings", (r) => r.findings.map((f) => `${f.code}: ${f.message}`).join(" | ")],
  ["make", (r) => r.camera?.make ?? null],
  ["model", (r) => r.camera?.model ?? null],
  ["software", (r) => r.camera?.software ?? null],
  ["firmware_build", (r) => r.camera?.firmware?.build ?? null],
  ["firmware_suffix", (r) => r.camera?.firmware?.suffix ?? null],
  ["captured", (r) => r.camera?.captured ?? null],
  ["width", (r) => r.camera?.width ?? null],
  ["height", (r) => r.camera?.height ?? null],
  ["megapixels", (r) => r.camera?.megapixels ?? null],
  ["focal_length", (r) => r.camera?.focalLength ?? null],
  ["focal_length_35mm", (r) => r.camera?.focalLength35mm ?? null],
  ["lens", (r) => r.camera?.lens ?? null],
  ["device_vendor", (r) => r.device?.vendor ?? null],
  ["device_name", (r) => r.device?.name ?? null],
  ["device_codename", (r) => r.device?.codename ?? null],
  ["announced", (r) => r.device?.announced ?? null],
  ["released", (r) => r.device?.released ?? null],
  ["format", (r) => r.format],
  ["bytes", (r) => r.bytes],
  ["sha256", (r) => r.sha256],
  ["error_code", (r) => r.error?.code ?? null],
  ["error_message", (r) => r.error?.message ?? null],
  ["schema", (r) => r.schema],
];

// OWASP "CSV injection": a leading = + - @ tab or CR makes spreadsheets evaluate the cell.
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * Longest text a cell keeps. Spreadsheets cap a cell at 32,767 characters and choke well before;
 * a crafted tag can hold megabytes. NDJSON and JSON keep the whole value.
 */
export const CSV_MAX_CELL = 2000;

export function csvCell(value: Cell): string {
  if (value === null) return "";
  if (typeof value === "number") return String(value);
  const cut = truncateCounted(value, CSV_MAX_CELL);
  const safe = FORMULA_START.test(cut) ? `'${cut}` : cut;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function csvRow(cells: readonly Cell[]): string {
  return `${cells.map(csvCell).join(",")}\r\n`;
}

export const csvReporter: ReporterFactory = (sink) => ({
  async begin() {
    await sink.write(csvRow(CSV_COLUMNS.map(([name]) => name)));
  },
  record({ record }) {
    return sink.write(csvRow(CSV_COLUMNS.map(([, cell]) => cell(record))));
  },
  async end() {
    // rows only: the summary is not data
  },
});
