/**
 * Output destinations for the CLI: stdout, or a file. Sorted formats go to a temporary file that
 * is renamed into place at the end, so an interrupted run never leaves half a JSON document;
 * NDJSON is written straight through, since every line stands on its own.
 */
import { createWriteStream, type WriteStream } from "node:fs";
import { rename, rm } from "node:fs/promises";
import { once } from "node:events";
import { basename, dirname, join } from "node:path";
import type { Writable } from "node:stream";
import type { Sink } from "./report/index.js";

export interface Output extends Sink {
  /** Flushes and, for a temporary file, renames it into place. */
  commit(): Promise<void>;
  /** Gives up: removes a temporary file, keeps what a streaming file already holds. */
  abandon(): Promise<void>;
}

async function writeToStream(stream: Writable, text: string): Promise<void> {
  if (!stream.write(text)) await once(stream, "drain");
}

/** Writes are gathered up to this size: one system call per 64 KiB, not one per record. */
const BATCH_BYTES = 64 * 1024;
/** … and written at most this long after they were made, so a slow scan still streams. */
const BATCH_DELAY_MS = 50;

/**
 * A sink that gathers small writes into large ones: a scan writes a few hundred bytes per photo,
 * thousands of times a second. `flush` writes what is pending; outputs flush before they finish.
 */
class BatchingSink implements Sink {
  readonly #target: (text: string) => Promise<void>;
  #pending: string[] = [];
  #size = 0;
  #timer: NodeJS.Timeout | undefined;

  constructor(target: (text: string) => Promise<void>) {
    this.#target = target;
  }

  async write(text: string): Promise<void> {
    this.#pending.push(text);
    this.#size += text.length;
    if (this.#size >= BATCH_BYTES) {
      await this.flush();
      return;
    }
    // A write error also reaches the stream's 'error' event, where the output handles it.
    this.#timer ??= setTimeout(() => void this.flush().catch(() => undefined), BATCH_DELAY_MS);
  }

  async flush(): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#size === 0) return;
    const text = this.#pending.join("");
    this.#pending = [];
    this.#size = 0;
    await this.#target(text);
  }
}

/**
 * Standard output. When the reader goes away (`exifhunt scan … | head`), writes become no-ops and
 * `onClosed` is called so the scan can stop: a closed pipe is not an error.
 */
export function stdoutOutput(stdout: Writable, onClosed: () => void): Output {
  let closed = false;
  // One promise for the life of the output: a write waiting for 'drain' also ends when the pipe closes.
  const pipeClosed = new Promise<void>((resolve) => {
    stdout.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code !== "EPIPE") throw error;
      closed = true;
      onClosed();
      resolve();
    });
  });
  const sink = new BatchingSink(async (text) => {
    if (!closed) await Promise.race([writeToStream(stdout, text), pipeClosed]);
  });
  return {
    write: (text) => sink.write(text),
    // What was written stays written: an interrupted scan's complete lines are kept.
    commit: () => sink.flush(),
    abandon: () => sink.flush(),
  };
}

async function closeStream(stream: WriteStream): Promise<void> {
  stream.end();
  await once(stream, "finish");
}

export async function fileOutput(path: string, atomic: boolean): Promise<Output> {
  const target = atomic ? join(dirname(path), `.${basename(path)}.${String(process.pid)}.tmp`) : path;
  const stream = createWriteStream(target, { flags: "w" });
  await once(stream, "open");
  const sink = new BatchingSink((text) => writeToStream(stream, text));
  return {
    write: (text) => sink.write(text),
    async commit() {
      await sink.flush();
      await closeStream(stream);
      if (atomic) await rename(target, path);
    },
    async abandon() {
      await sink.flush();
      await closeStream(stream);
      if (atomic) await rm(target, { force: true });
    },
  };
}
