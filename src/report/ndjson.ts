import type { ReporterFactory } from "./types.js";

/** One complete JSON record per line, in completion order: the format pipelines read. */
export const ndjsonReporter: ReporterFactory = (sink) => ({
  async begin() {
    // nothing before the first record: every line stands alone
  },
  record(record) {
    return sink.write(`${JSON.stringify(record)}\n`);
  },
  async end() {
    // the summary is not a record; NDJSON carries records only
  },
});
