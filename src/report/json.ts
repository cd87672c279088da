import type { ScanRecord } from "../record.js";
import { compareSources } from "../scan.js";
import type { ReporterFactory } from "./types.js";

/** A JSON array of records sorted by source (buffers the records: use NDJSON for huge scans). */
export const jsonReporter: ReporterFactory = (sink) => {
  const records: ScanRecord[] = [];
  return {
    async begin() {
      records.length = 0;
    },
    async record(record) {
      records.push(record);
    },
    async end() {
      records.sort(compareSources);
      await sink.write(`${JSON.stringify(records, null, 2)}\n`);
    },
  };
};
