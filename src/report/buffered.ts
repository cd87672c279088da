import type { ScanRecord } from "../record.js";
import { compareSources, type ScanSummary } from "../events.js";
import type { Reporter } from "./types.js";

/**
 * The lifecycle of every format that is sorted by source (table, JSON, HTML, Markdown): keep the
 * records, sort them once the scan ends, then write. Streaming formats (NDJSON, CSV) write as
 * records complete instead.
 */
export function bufferedReporter(finish: (records: readonly ScanRecord[], summary: ScanSummary) => Promise<void>): Reporter {
  const records: ScanRecord[] = [];
  return {
    async begin() {
      records.length = 0;
    },
    record(event) {
      records.push(event.record);
      return undefined;
    },
    async end(summary) {
      records.sort(compareSources);
      await finish(records, summary);
    },
  };
}
