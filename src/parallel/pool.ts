/**
 * A pool of triage workers for local files: requests are batched (one message per few dozen
 * files, not one per file) and each worker holds at most two batches, so queues stay bounded.
 * A worker that dies turns its files into error records and is replaced: a crash costs records
 * their metadata, never their place in the output. Workers take a tenth of a second to start;
 * until one says it is ready (`ready`), the scan reads files in its own thread.
 */
import { Worker } from "node:worker_threads";
import { emptyRecord } from "../record.js";
import type { BatchRequest, JobResult, TriageJob, WorkerConfig, WorkerMessage } from "./protocol.js";

const BATCH_SIZE = 32;
const BATCHES_PER_WORKER = 2;
/** Workers that die before they are ready, after which the pool gives up and reports not ready. */
const MAX_FAILED_STARTS = 3;

const WORKER_URL = new URL("./worker.js", import.meta.url);

interface Pending {
  job: TriageJob;
  resolve: (result: JobResult) => void;
}

interface Slot {
  worker: Worker;
  ready: boolean;
  batches: Map<number, Pending[]>;
}

function crashRecord(job: TriageJob, reason: string): JobResult {
  const record = emptyRecord(job.path, "file");
  record.error = { code: "read-failed", message: `the reader crashed on this file: ${reason}` };
  return { event: { type: "record", record }, bytes: 0 };
}

export class TriagePool {
  /**
   * Whether workers can start: only from the built JavaScript. Run from TypeScript sources (tsx),
   * a worker thread would not inherit the TypeScript loader, so scans stay in one thread.
   */
  static readonly available = import.meta.url.endsWith(".js");

  readonly #config: WorkerConfig;
  readonly #slots: Slot[] = [];
  readonly #queue: Pending[] = [];
  #nextBatch = 0;
  #flushScheduled = false;
  #closed = false;
  #failedStarts = 0;
  /** Told once, when the first worker is ready (ScanOptions.onWorkersReady). */
  #onReady: (() => void) | undefined;

  constructor(size: number, config: WorkerConfig, onReady?: () => void) {
    this.#config = config;
    this.#onReady = onReady;
    for (let i = 0; i < size; i++) this.#slots.push(this.#spawn());
  }

  /** Whether some worker is ready for files; until then (or if none ever starts) read them in-thread. */
  get ready(): boolean {
    return this.#slots.some((slot) => slot.ready);
  }

  /** Requests that keep `workers` workers busy: enough to fill all their batch slots. */
  static capacityFor(workers: number): number {
    return workers * BATCH_SIZE * BATCHES_PER_WORKER;
  }

  #spawn(): Slot {
    const worker = new Worker(WORKER_URL, { workerData: this.#config });
    const slot: Slot = { worker, ready: false, batches: new Map() };
    worker.on("message", (response: WorkerMessage) => {
      if (response.type === "ready") {
        slot.ready = true;
        const onReady = this.#onReady;
        this.#onReady = undefined;
        onReady?.();
        this.#flush();
        return;
      }
      const batch = slot.batches.get(response.id);
      slot.batches.delete(response.id);
      batch?.forEach((pending, index) => {
        const result = response.results[index];
        pending.resolve(result ?? crashRecord(pending.job, "no result returned"));
      });
      this.#flush();
    });
    worker.on("error", (error: Error) => {
      this.#replace(slot, error.message);
    });
    worker.on("exit", (code) => {
      if (!this.#closed) this.#replace(slot, `worker exited with code ${String(code)}`);
    });
    return slot;
  }

  #replace(slot: Slot, reason: string): void {
    const index = this.#slots.indexOf(slot);
    if (index === -1) return;
    for (const batch of slot.batches.values()) for (const pending of batch) pending.resolve(crashRecord(pending.job, reason));
    slot.batches.clear();
    void slot.worker.terminate();
    // A worker that cannot even start (a broken install) is not restarted for ever.
    if (!slot.ready && ++this.#failedStarts >= MAX_FAILED_STARTS) {
      this.#slots.splice(index, 1);
      if (this.#slots.length === 0) for (const pending of this.#queue.splice(0)) pending.resolve(crashRecord(pending.job, reason));
    } else {
      this.#slots[index] = this.#spawn();
    }
    this.#flush();
  }

  process(job: TriageJob): Promise<JobResult> {
    return new Promise((resolve) => {
      this.#queue.push({ job, resolve });
      if (!this.#flushScheduled) {
        this.#flushScheduled = true;
        // Let the caller queue a whole window of files before the first batch leaves.
        setImmediate(() => {
          this.#flushScheduled = false;
          this.#flush();
        });
      }
    });
  }

  #flush(): void {
    while (this.#queue.length > 0) {
      const slot = this.#slots.reduce<Slot | undefined>(
        (best, candidate) => (candidate.ready && candidate.batches.size < (best?.batches.size ?? BATCHES_PER_WORKER) ? candidate : best),
        undefined,
      );
      if (slot === undefined) return;
      const batch = this.#queue.splice(0, BATCH_SIZE);
      const id = this.#nextBatch++;
      slot.batches.set(id, batch);
      const request: BatchRequest = { id, jobs: batch.map((pending) => pending.job) };
      slot.worker.postMessage(request);
    }
  }

  async close(): Promise<void> {
    this.#closed = true;
    await Promise.all(this.#slots.map((slot) => slot.worker.terminate()));
  }
}
