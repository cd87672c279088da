import { recordJson } from "../events.js";
import type { ReporterFactory } from "./types.js";

/** One complete JSON record per line, in completion order: the format pipelines read. */
export const ndjsonReporter: ReporterFactory = (sink) => ({
  async begin() {
    // nothing before the first record: every line stands alone
  },
  record(event) {
    return sink.write(`${recordJson(event)}\n`);
  },
  async end() {
    // the summary is not a record; NDJSON carries records only
  },
});
