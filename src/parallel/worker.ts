/**
 * A triage worker: scans local files sent in batches, HEADER_BATCH at a time (their headers read
 * one after another, then judged: processBatchNow), and posts the events back.
 */
import { parentPort, workerData } from "node:worker_threads";
import { DeviceRegistry } from "../registry/index.js";
import { FileHashes, HEADER_BATCH, processBatchNow, processSource, type Context, type SourceOutcome } from "../triage/index.js";
import { fileSource } from "../sources/index.js";
import type { BatchRequest, BatchResponse, JobResult, WorkerMessage, WorkerStart } from "./protocol.js";

/** An outcome as it crosses to the scan's thread: a record as its JSON text, an archive by its format only. */
function resultOf(outcome: SourceOutcome): JobResult {
  if (outcome.type === "archive") return { event: { type: "archive", format: outcome.format } };
  if (outcome.type === "skipped") return { event: outcome };
  const { record } = outcome;
  return { event: { type: "record-text", head: { source: record.source, verdict: record.verdict, error: record.error }, json: JSON.stringify(record) } };
}

const { config, answers } = workerData as WorkerStart;
const context: Context = {
  registry: DeviceRegistry.build(config.layers),
  deep: config.deep,
  maxBytes: config.maxBytes,
  timeoutMs: config.timeoutMs,
  counter: { bytes: 0 },
  hashes: new FileHashes(),
};

const port = parentPort;
if (port === null) throw new Error("parallel/worker.js runs as a worker thread only");

port.on("message", (request: BatchRequest) => {
  void (async () => {
    const before = context.counter.bytes;
    const results: JobResult[] = [];
    for (let start = 0; start < request.jobs.length; start += HEADER_BATCH) {
      const sources = request.jobs.slice(start, start + HEADER_BATCH).map((job) => fileSource(job.path, job.explicit, job.sidecar));
      // Most files are done before any await (processBatchNow): awaiting them anyway would cost a
      // queue turn per file.
      const done = processBatchNow(sources, context);
      for (const [index, source] of sources.entries()) {
        const now = done[index] ?? processSource(source, context);
        const outcome: SourceOutcome = now instanceof Promise ? await now : now;
        if (outcome.type === "archive") await outcome.opened?.close();
        results.push(resultOf(outcome));
      }
    }
    const response: BatchResponse = { type: "batch", id: request.id, results, bytes: context.counter.bytes - before };
    answers.postMessage(response);
  })();
});
const ready: WorkerMessage = { type: "ready" };
answers.postMessage(ready);
