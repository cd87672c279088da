/**
 * Output destinations for the CLI: stdout, or a file. Sorted formats go to a temporary file that
 * is renamed into place at the end, so an interrupted run never leaves half a JSON document;
 * NDJSON is written straight through, since every line stands on its own.
 */
import { Buffer } from "node:buffer";
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

async function writeToStream(stream: Writable, chunk: Uint8Array): Promise<void> {
  if (!stream.write(chunk)) await once(stream, "drain");
}

/** Writes are gathered up to this size: one system call per 64 KiB, not one per record. */
const BATCH_BYTES = 64 * 1024;
/** … into a buffer with room for one more record past that (a longer text is written on its own). */
const BUFFER_BYTES = 2 * BATCH_BYTES;
/** … and written at most this long after they were made, so a slow scan still streams. */
const BATCH_DELAY_MS = 50;
/** UTF-8 takes at most 3 bytes per UTF-16 code unit (a surrogate pair: 4 bytes for 2 units). */
const MAX_UTF8_PER_UNIT = 3;

/**
 * A sink that gathers small writes into large ones: a scan writes a few hundred bytes per photo,
 * thousands of times a second. Each text is encoded as UTF-8 straight into the pending buffer, so
 * a batch costs one copy per record and no joined string. `flush` writes what is pending; outputs
 * flush before they finish.
 */
class BatchingSink implements Sink {
  readonly #target: (chunk: Uint8Array) => Promise<void>;
  #buffer = Buffer.allocUnsafe(BUFFER_BYTES);
  #size = 0;
  #timer: NodeJS.Timeout | undefined;

  constructor(target: (chunk: Uint8Array) => Promise<void>) {
    this.#target = target;
  }

  async write(text: string): Promise<void> {
    const most = text.length * MAX_UTF8_PER_UNIT;
    if (this.#size + most > this.#buffer.length) {
      await this.flush();
      if (most > this.#buffer.length) {
        await this.#target(Buffer.from(text, "utf8"));
        return;
      }
    }
    this.#size += this.#buffer.write(text, this.#size, "utf8");
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
    // The stream may hold the chunk until it is written: the next batch goes into a new buffer.
    const chunk = this.#buffer.subarray(0, this.#size);
    this.#buffer = Buffer.allocUnsafe(BUFFER_BYTES);
    this.#size = 0;
    await this.#target(chunk);
  }
}

/**
 * Standard output. When the reader goes away (`exifhunt scan … | head`), writes become no-ops and
 * `onClosed` is called so the scan can stop: a closed pipe is not an error.
 */
export function stdoutOutput(onClosed: () => void): Output {
  let closed = false;
  // One promise for the life of the output: a write waiting for 'drain' also ends when the pipe closes.
  const pipeClosed = new Promise<void>((resolve) => {
    process.stdout.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code !== "EPIPE") throw error;
      closed = true;
      onClosed();
      resolve();
    });
  });
  const sink = new BatchingSink(async (chunk) => {
    if (!closed) await Promise.race([writeToStream(process.stdout, chunk), pipeClosed]);
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
  const sink = new BatchingSink((chunk) => writeToStream(stream, chunk));
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
