/**
 * A pool of triage workers for local files: requests are batched (one message per BATCH_SIZE
 * files, not one per file) and each worker holds at most two batches, so queues stay bounded.
 * Results come back a batch at a time, through one callback, with no promise per file: at tens of
 * thousands of files a second, per-file promises and their bookkeeping (alive for a whole round
 * trip, so promoted by the garbage collector) cost the scan's thread more than writing the records.
 * A worker that dies turns its files into error records and is replaced: a crash costs records
 * their metadata, never their place in the output. Workers take a tenth of a second to start;
 * until one says it is ready (`ready`), the scan reads files in its own thread.
 *
 * The scan's thread is a reader too: it gives a worker files only while the worker has room
 * (`hasRoom`) and reads the others itself, so neither waits for the other. Reading, it leaves the
 * event loop no turn for many milliseconds, so it takes the workers' answers as it goes (`poll`),
 * and a worker that has finished its batches gets more at once instead of at the next turn.
 */
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from "node:worker_threads";
import { emptyRecord } from "../record.js";
import type { BatchRequest, JobResult, TriageJob, WorkerConfig, WorkerMessage, WorkerStart } from "./protocol.js";

/**
 * Files per message. 128 against 32: wall 0.93 on 100,000 camera photos with two workers (4 pairs);
 * fewer, larger messages cost each side less.
 */
const BATCH_SIZE = 128;
const BATCHES_PER_WORKER = 2;
/** Workers that die before they are ready, after which the pool gives up and reports not ready. */
const MAX_FAILED_STARTS = 3;

const WORKER_URL = new URL("./worker.js", import.meta.url);
/**
 * A worker's young generation, in MB (V8 sizes it by the machine's memory otherwise). Triage
 * garbage dies within a file, so a smaller one collects as well: two workers on 100,000 photos
 * peaked at 204 MB RSS instead of 236, and were not slower.
 */
const WORKER_YOUNG_GENERATION_MB = 16;

/** A job and what the caller wants back with its result (the scan's own source object). */
export interface PoolResult<T> {
  item: T;
  result: JobResult;
}

interface Pending<T> {
  job: TriageJob;
  item: T;
}

interface Slot<T> {
  worker: Worker;
  /** Where the worker answers: read by its listener, or at once by poll(). */
  answers: MessagePort;
  ready: boolean;
  batches: Map<number, Pending<T>[]>;
}

function crashRecord(job: TriageJob, reason: string): JobResult {
  const record = emptyRecord(job.path, "file");
  record.error = { code: "read-failed", message: `the reader crashed on this file: ${reason}` };
  return { event: { type: "record", record } };
}

export class TriagePool<T> {
  /**
   * Whether workers can start: only from the built JavaScript. Run from TypeScript sources (tsx),
   * a worker thread would not inherit the TypeScript loader, so scans stay in one thread.
   */
  static readonly available = import.meta.url.endsWith(".js");

  readonly #config: WorkerConfig;
  readonly #onResults: (results: PoolResult<T>[], bytes: number) => void;
  readonly #slots: Slot<T>[] = [];
  readonly #queue: Pending<T>[] = [];
  #nextBatch = 0;
  #flushScheduled = false;
  #closed = false;
  #failedStarts = 0;
  /** Told once, when the first worker is ready (ScanOptions.onWorkersReady). */
  #onReady: (() => void) | undefined;

  /** `onResults` is told the results of each batch and the bytes read for them, and the files of a worker that died. */
  constructor(size: number, config: WorkerConfig, onResults: (results: PoolResult<T>[], bytes: number) => void, onReady?: () => void) {
    this.#config = config;
    this.#onResults = onResults;
    this.#onReady = onReady;
    for (let i = 0; i < size; i++) this.#slots.push(this.#spawn());
  }

  /** Whether some worker is ready for files; until then (or if none ever starts) read them in-thread. */
  get ready(): boolean {
    return this.#slots.some((slot) => slot.ready);
  }

  /** Whether a file submitted now would go to a worker at once, not wait in the queue. */
  get hasRoom(): boolean {
    let room = 0;
    for (const slot of this.#slots) if (slot.ready) room += (BATCHES_PER_WORKER - slot.batches.size) * BATCH_SIZE;
    return this.#queue.length < room;
  }

  /** Requests that keep `workers` workers busy: enough to fill all their batch slots. */
  static capacityFor(workers: number): number {
    return workers * BATCH_SIZE * BATCHES_PER_WORKER;
  }

  #spawn(): Slot<T> {
    const { port1: answers, port2 } = new MessageChannel();
    const start: WorkerStart = { config: this.#config, answers: port2 };
    const worker = new Worker(WORKER_URL, { workerData: start, transferList: [port2], resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB } });
    const slot: Slot<T> = { worker, answers, ready: false, batches: new Map() };
    answers.on("message", (message: WorkerMessage) => {
      this.#answered(slot, message);
    });
    worker.on("error", (error: Error) => {
      this.#replace(slot, error.message);
    });
    worker.on("exit", (code) => {
      if (!this.#closed) this.#replace(slot, `worker exited with code ${String(code)}`);
    });
    return slot;
  }

  #answered(slot: Slot<T>, message: WorkerMessage): void {
    if (message.type === "ready") {
      slot.ready = true;
      const onReady = this.#onReady;
      this.#onReady = undefined;
      onReady?.();
      this.#flush();
      return;
    }
    const batch = slot.batches.get(message.id);
    slot.batches.delete(message.id);
    // The next batch leaves before this one's results are handled: the worker is not kept waiting.
    this.#flush();
    if (batch !== undefined) {
      this.#onResults(batch.map((pending, index) => ({ item: pending.item, result: message.results[index] ?? crashRecord(pending.job, "no result returned") })), message.bytes);
    }
  }

  /**
   * Takes the answers that have arrived, at once: for a caller that reads files in its own thread
   * too and so leaves the event loop no turn for many milliseconds, in which the workers would
   * run out of files and wait.
   */
  poll(): void {
    for (const slot of this.#slots) {
      for (let message = receiveMessageOnPort(slot.answers); message !== undefined; message = receiveMessageOnPort(slot.answers)) {
        this.#answered(slot, message.message as WorkerMessage);
        // A slot replaced meanwhile (its worker died) is read on the next poll.
        if (!this.#slots.includes(slot)) break;
      }
    }
  }

  #replace(slot: Slot<T>, reason: string): void {
    const index = this.#slots.indexOf(slot);
    if (index === -1) return;
    const lost = [...slot.batches.values()].flat();
    slot.batches.clear();
    slot.answers.close();
    void slot.worker.terminate();
    // A worker that cannot even start (a broken install) is not restarted for ever.
    if (!slot.ready && ++this.#failedStarts >= MAX_FAILED_STARTS) {
      this.#slots.splice(index, 1);
      if (this.#slots.length === 0) lost.push(...this.#queue.splice(0));
    } else {
      this.#slots[index] = this.#spawn();
    }
    this.#flush();
    if (lost.length > 0) this.#onResults(lost.map((pending) => ({ item: pending.item, result: crashRecord(pending.job, reason) })), 0);
  }

  /** Queues a file; its result comes back through `onResults`, with `item`. */
  submit(job: TriageJob, item: T): void {
    this.#queue.push({ job, item });
    // A full batch leaves at once; a partial one once the caller has queued what it has.
    if (this.#queue.length >= BATCH_SIZE) this.#flush();
    else if (!this.#flushScheduled) {
      this.#flushScheduled = true;
      setImmediate(() => {
        this.#flushScheduled = false;
        this.#flush();
      });
    }
  }

  #flush(): void {
    while (this.#queue.length > 0) {
      const slot = this.#slots.reduce<Slot<T> | undefined>(
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
    await Promise.all(this.#slots.map(async (slot) => {
      slot.answers.close();
      await slot.worker.terminate();
    }));
  }
}
