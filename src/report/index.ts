import { csvReporter } from "./csv.js";
import { jsonReporter } from "./json.js";
import { ndjsonReporter } from "./ndjson.js";
import { tableReporter } from "./table.js";
import type { ReporterFactory } from "./types.js";

export type { Reporter, ReporterFactory, ReporterOptions, Sink } from "./types.js";
export { summaryLine } from "./table.js";
export { csvCell, CSV_COLUMNS } from "./csv.js";

/** Every output format; the CLI's --format choices come from these keys. */
export const reporters = {
  table: tableReporter,
  json: jsonReporter,
  ndjson: ndjsonReporter,
  csv: csvReporter,
} satisfies Record<string, ReporterFactory>;

export type Format = keyof typeof reporters;

export const FORMATS = Object.keys(reporters) as Format[];

export function isFormat(name: string): name is Format {
  return Object.hasOwn(reporters, name);
}
