import { csvReporter } from "./csv.js";
import { documentReporter } from "./document.js";
import { renderHtml } from "./html.js";
import { jsonReporter } from "./json.js";
import { renderMarkdown } from "./md.js";
import { ndjsonReporter } from "./ndjson.js";
import { tableReporter } from "./table.js";
import type { ReporterFactory } from "./types.js";

export type { Reporter, ReporterFactory, ReporterOptions, Sink } from "./types.js";
export { summaryLine } from "./table.js";
export { csvCell, CSV_COLUMNS } from "./csv.js";
export type { Evidence, EvidenceProvider } from "./evidence-provider.js";
export { escapeHtml, escapeMarkdown, markdownCode } from "./escape.js";
export { renderHtml } from "./html.js";
export { renderMarkdown } from "./md.js";
export { buildReportModel } from "./model.js";
export type { ReportInputs, ReportModel } from "./model-types.js";

/** Every output format; the CLI's --format choices come from these keys. */
export const reporters = {
  table: tableReporter,
  json: jsonReporter,
  ndjson: ndjsonReporter,
  csv: csvReporter,
  // Documents: a self-contained HTML evidence report, and its summary in Markdown.
  html: documentReporter(renderHtml, { evidence: true }),
  md: documentReporter(renderMarkdown, { evidence: false }),
} satisfies Record<string, ReporterFactory>;

export type Format = keyof typeof reporters;

export const FORMATS = Object.keys(reporters) as Format[];

export function isFormat(name: string): name is Format {
  return Object.hasOwn(reporters, name);
}
