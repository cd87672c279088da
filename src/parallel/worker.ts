/**
 * A triage worker: scans local files sent in batches, one after another (reads are synchronous
 * page-cache reads, so overlapping them inside one thread gains nothing), and posts the events back.
 */
import { parentPort, workerData } from "node:worker_threads";
import { DeviceRegistry } from "../registry/index.js";
import { FileHashes, processNow, processSource, type Context, type SourceOutcome } from "../triage/index.js";
import { fileSource } from "../sources/index.js";
import type { BatchRequest, BatchResponse, JobResult, WorkerMessage, WorkerStart } from "./protocol.js";

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
    const results: JobResult[] = [];
    for (const job of request.jobs) {
      const before = context.counter.bytes;
      const source = fileSource(job.path, job.explicit, job.sidecar);
      // Most files are done before any await (processNow): awaiting them anyway would cost a
      // queue turn per file.
      const now = processNow(source, context) ?? processSource(source, context);
      const outcome: SourceOutcome = now instanceof Promise ? await now : now;
      if (outcome.type === "archive") await outcome.opened?.close();
      const event = outcome.type === "archive" ? { type: "archive" as const, format: outcome.format } : outcome;
      results.push({ event, bytes: context.counter.bytes - before });
    }
    const response: BatchResponse = { type: "batch", id: request.id, results };
    answers.postMessage(response);
  })();
});
const ready: WorkerMessage = { type: "ready" };
answers.postMessage(ready);
