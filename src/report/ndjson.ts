import { recordJson } from "../events.js";
import type { ReporterFactory } from "./types.js";

/** One complete JSON record per line, in completion order: the format pipelines read. */
export const ndjsonReporter: ReporterFactory = (sink) => ({
  async begin() {
    // nothing before the first record: every line stands alone
  },
  record(event) {
    // The line and its newline written one after the other: `${json}\n` would be a second string
    // of the line's length (a concatenation the sink's encoding flattens into a copy).
    const written = sink.write(recordJson(event));
    return written === undefined ? sink.write("\n") : written.then(() => sink.write("\n"));
  },
  async end() {
    // the summary is not a record; NDJSON carries records only
  },
});
