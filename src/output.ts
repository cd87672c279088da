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

function streamSink(stream: Writable): Sink {
  return {
    async write(text: string): Promise<void> {
      if (!stream.write(text)) await once(stream, "drain");
    },
  };
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
  const sink = streamSink(process.stdout);
  return {
    async write(text: string): Promise<void> {
      if (!closed) await Promise.race([sink.write(text), pipeClosed]);
    },
    async commit() {
      // stdout is flushed by Node on exit
    },
    async abandon() {
      // nothing to clean up
    },
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
  return {
    ...streamSink(stream),
    async commit() {
      await closeStream(stream);
      if (atomic) await rename(target, path);
    },
    async abandon() {
      await closeStream(stream);
      if (atomic) await rm(target, { force: true });
    },
  };
}
