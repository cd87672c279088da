import { bufferedReporter } from "./buffered.js";
import type { ReporterFactory } from "./types.js";

/** A JSON array of records sorted by source (buffers the records: use NDJSON for huge scans). */
export const jsonReporter: ReporterFactory = (sink) =>
  bufferedReporter(async (records) => {
    await sink.write(`${JSON.stringify(records, null, 2)}\n`);
  });
