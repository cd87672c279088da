/**
 * The deep pass off the scan's thread. Hashing a flagged photo reads all of it: at 100,000 photos
 * of a dump where one in a hundred is flagged, 2.5 GB and some 1.5 s of SHA-256 that held up
 * every photo behind them. One worker thread hashes instead, on another core, while triage goes
 * on; the record waits for its hash, the others do not.
 *
 * A thread costs some 40 ms of CPU to start, more than a few flagged photos take to hash, so the
 * first IN_THREAD_BYTES are hashed here and the thread starts only for a scan with more.
 */
import { Worker } from "node:worker_threads";
import { sha256OfDescriptor, type DescriptorHasher } from "./sha256.js";

/** Hashed in the scan's thread before the hashing thread is started. */
export const IN_THREAD_BYTES = 8 * 1024 * 1024;

const WORKER_URL = new URL("./hash-worker.js", import.meta.url);

export interface HashJob {
  id: number;
  fd: number;
}

export type HashAnswer = { id: number; sha256: string; bytes: number } | { id: number; error: { message: string; code?: string } };

interface Pending {
  fd: number;
  resolve: (result: { sha256: string; bytes: number }) => void;
  reject: (error: Error) => void;
}

export interface FileHasherOptions {
  /** Bytes hashed in the scan's thread before the hashing thread starts (default IN_THREAD_BYTES). */
  inThreadBytes?: number;
}

export class FileHasher implements DescriptorHasher {
  /** Only from the built package: the worker's script is JavaScript (as parallel/pool.ts). */
  static readonly available = import.meta.url.endsWith(".js");

  readonly #inThreadBytes: number;
  #hashedHere = 0;
  #worker: Worker | undefined;
  /** Set once the worker failed: everything is hashed here from then on. */
  #broken = false;
  #closed = false;
  #nextId = 0;
  readonly #pending = new Map<number, Pending>();
  /** Files hashed by the worker (for tests and --stats). */
  inWorker = 0;

  constructor(options: FileHasherOptions = {}) {
    this.#inThreadBytes = options.inThreadBytes ?? IN_THREAD_BYTES;
  }

  /**
   * SHA-256 of the open file `fd` (of `size` bytes, as opened) and the bytes read. The caller keeps
   * `fd` open until the promise settles.
   */
  async hash(fd: number, size: number): Promise<{ sha256: string; bytes: number }> {
    if (!FileHasher.available || this.#broken || this.#closed || this.#hashedHere < this.#inThreadBytes) {
      this.#hashedHere += size;
      return sha256OfDescriptor(fd);
    }
    const worker = this.#started();
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      if (this.#pending.size === 0) worker.ref();
      this.#pending.set(id, { fd, resolve, reject });
      worker.postMessage({ id, fd } satisfies HashJob);
    });
  }

  #started(): Worker {
    if (this.#worker !== undefined) return this.#worker;
    const worker = new Worker(WORKER_URL);
    // Idle, the thread does not keep the process alive; hash() refs it while an answer is owed.
    worker.unref();
    worker.on("message", (answer: HashAnswer) => {
      const pending = this.#pending.get(answer.id);
      if (pending === undefined) return;
      this.#settled(answer.id);
      this.inWorker++;
      if ("error" in answer) pending.reject(Object.assign(new Error(answer.error.message), answer.error.code === undefined ? {} : { code: answer.error.code }));
      else pending.resolve({ sha256: answer.sha256, bytes: answer.bytes });
    });
    // A thread that cannot start or dies: what it owed is hashed here, and so is what follows.
    const fallBack = (): void => {
      this.#broken = true;
      this.#worker = undefined;
      for (const [id, pending] of this.#pending) {
        this.#settled(id);
        try {
          pending.resolve(sha256OfDescriptor(pending.fd));
        } catch (error: unknown) {
          pending.reject(error instanceof Error ? error : new Error(String(error)));
        }
      }
    };
    worker.on("error", fallBack);
    worker.on("exit", () => {
      if (!this.#closed) fallBack();
    });
    this.#worker = worker;
    return worker;
  }

  #settled(id: number): void {
    this.#pending.delete(id);
    if (this.#pending.size === 0) this.#worker?.unref();
  }

  /** Ends the thread. Answers still owed (an interrupted scan) are refused, not waited for. */
  async close(): Promise<void> {
    this.#closed = true;
    const worker = this.#worker;
    this.#worker = undefined;
    for (const [id, pending] of this.#pending) {
      this.#pending.delete(id);
      pending.reject(new Error("the scan ended before this file was hashed"));
    }
    await worker?.terminate();
  }
}
