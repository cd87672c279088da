/**
 * Output destinations for the CLI: stdout, or a file. Every format written to a file goes to a
 * temporary file beside it that is renamed into place at the end, so an interrupted or failed run
 * leaves the previous file as it was and never half a document. The temporary file has a random
 * name and is created exclusively (O_EXCL | O_NOFOLLOW): a name planted in advance, or a symbolic
 * link planted at it, makes the open fail instead of writing through the link.
 */
import { constants, type Stats } from "node:fs";
import { open, rename, rm, stat, type FileHandle } from "node:fs/promises";
import { randomBytes } from "node:crypto";
import { basename, dirname, extname, join } from "node:path";
import type { Writable } from "node:stream";
import { errnoCode, ExifhuntError } from "./errors.js";
import type { Sink } from "./report/index.js";

/** The output cannot be written: the message names the file (or standard output) and why. */
export class OutputError extends ExifhuntError {
  override name = "OutputError";
}

export interface Output extends Sink {
  /** Flushes and, for a file, renames the temporary file into place. */
  commit(): Promise<void>;
  /**
   * Gives up. A file's temporary copy is removed, or with `keepPartial` renamed to the partial
   * name (streaming formats: every line written is complete); returns where the partial output is.
   */
  abandon(options?: { keepPartial?: boolean }): Promise<string | null>;
}

/** Why a file operation failed, in words, from its error code. */
const REASONS: Record<string, string> = {
  ENOSPC: "no space left on the device",
  EDQUOT: "the disk quota is used up",
  EFBIG: "the file is too large for the file system",
  EACCES: "permission denied",
  EPERM: "permission denied",
  EROFS: "the file system is read-only",
  ENOENT: "no such folder",
  ENOTDIR: "a part of the path is not a folder",
  EISDIR: "it is a folder",
  EEXIST: "a file of that name appeared meanwhile",
  ELOOP: "it is a symbolic link",
  EIO: "an input/output error",
  EPIPE: "the reader went away",
};

export function reasonOf(error: unknown): string {
  const code = errnoCode(error);
  if (code !== undefined && code in REASONS) return `${REASONS[code] ?? code} (${code})`;
  return error instanceof Error ? error.message : String(error);
}

/** Resolves once the stream has taken the text (its callback), rejecting with its write error. */
function writeToStream(stream: Writable, chunk: Uint8Array): Promise<void> {
  return new Promise((resolve, reject) => {
    stream.write(chunk, (error) => {
      if (error === undefined || error === null) resolve();
      else reject(error);
    });
  });
}

/** Writes are gathered up to this size: one system call per 64 KiB, not one per record. */
const BATCH_BYTES = 64 * 1024;
/** … encoded as UTF-8 straight into a buffer with room for one more record past that (a longer text is written on its own). */
const BUFFER_BYTES = 2 * BATCH_BYTES;
/** UTF-8 takes at most 3 bytes per UTF-16 code unit (a surrogate pair: 4 bytes for 2 units). */
const MAX_UTF8_PER_UNIT = 3;
/** … and written at most this long after they were made, so a slow scan still streams. */
const BATCH_DELAY_MS = 50;

/**
 * A sink that gathers small writes into large ones: a scan writes a few hundred bytes per photo,
 * thousands of times a second. `flush` writes what is pending; outputs flush before they finish.
 * A write that fails in the background is kept and thrown by the next write or flush.
 */
class BatchingSink implements Sink {
  readonly #target: (chunk: Uint8Array) => Promise<void>;
  #buffer: Buffer = Buffer.allocUnsafe(BUFFER_BYTES);
  #spare: Buffer | undefined;
  #size = 0;
  #timer: NodeJS.Timeout | undefined;
  #failure: { error: unknown } | undefined;
  /** The batch being written, if any; it never rejects (a failure is kept in #failure). */
  #writing: Promise<void> | undefined;

  constructor(target: (chunk: Uint8Array) => Promise<void>) {
    this.#target = target;
  }

  /** Nothing to wait for, most of the time: the text fits the pending batch, which is not full yet. */
  write(text: string): Promise<void> | undefined {
    if (this.#failure !== undefined) return this.#failed();
    if (this.#size + text.length * MAX_UTF8_PER_UNIT > this.#buffer.length) return this.#writeAfterFlush(text);
    this.#size += this.#buffer.write(text, this.#size, "utf8");
    if (this.#size >= BATCH_BYTES) return this.#nextBatch();
    this.#timer ??= setTimeout(() => {
      this.flush().catch((error: unknown) => {
        this.#failure ??= { error };
      });
    }, BATCH_DELAY_MS);
    return undefined;
  }

  /** A write after a failure in the background: rejects with it. */
  async #failed(): Promise<void> {
    this.#throwIfFailed();
  }

  async #writeAfterFlush(text: string): Promise<void> {
    await this.flush();
    // Larger than a whole buffer: written by itself.
    if (text.length * MAX_UTF8_PER_UNIT > this.#buffer.length) await this.#target(Buffer.from(text, "utf8"));
    else await this.write(text);
  }

  /**
   * One batch is written while the next fills: waiting for each write (a thread-pool round trip
   * for a file) left the scan idle 6% of the time. Never more than one: that is the back-pressure
   * of a slow disk or reader.
   */
  async #nextBatch(): Promise<void> {
    await this.#writing;
    this.#throwIfFailed();
    this.#startWrite();
  }

  async flush(): Promise<void> {
    await this.#writing;
    this.#throwIfFailed();
    this.#startWrite();
    await this.#writing;
    this.#throwIfFailed();
  }

  #throwIfFailed(): void {
    if (this.#failure !== undefined) throw this.#failure.error;
  }

  /**
   * Starts writing what is pending, once the write before it is done (callers wait for it). The
   * stream holds the chunk until it is written: the next batch goes into the spare buffer, and
   * this one is the spare once its write is done. Two buffers for a whole scan, not one per batch.
   * A failure is kept and thrown by the next write or flush.
   */
  #startWrite(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#size === 0) return;
    const sent = this.#buffer;
    const chunk = sent.subarray(0, this.#size);
    this.#buffer = this.#spare ?? Buffer.allocUnsafe(BUFFER_BYTES);
    this.#spare = undefined;
    this.#size = 0;
    this.#writing = this.#target(chunk).then(
      () => {
        this.#spare = sent;
      },
      (error: unknown) => {
        this.#failure ??= { error };
      },
    );
  }

  /** Drops what is pending, for an output that is being given up after a failure. */
  discard(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#size = 0;
  }
}

/**
 * Standard output. When the reader goes away (`exifhunt scan … | head`), writes become no-ops and
 * `onClosed` is called so the scan can stop: a closed pipe is not an error. Any other write error
 * (a full disk behind `> file`, /dev/full) is an OutputError.
 */
export function stdoutOutput(stdout: Writable, onClosed: () => void): Output {
  let closed = false;
  let failure: OutputError | undefined;
  const failed = (error: unknown): void => {
    if (closed) return;
    closed = true;
    if (errnoCode(error) === "EPIPE") onClosed();
    else failure = new OutputError(`cannot write to standard output: ${reasonOf(error)}`, { cause: error });
  };
  // One promise for the life of the output: a write still waiting also ends when the stream fails.
  const pipeClosed = new Promise<void>((resolve) => {
    stdout.on("error", (error: unknown) => {
      failed(error);
      resolve();
    });
  });
  const sink = new BatchingSink(async (chunk) => {
    if (!closed) {
      await Promise.race([
        writeToStream(stdout, chunk).catch((error: unknown) => {
          failed(error);
        }),
        pipeClosed,
      ]);
    }
    if (failure !== undefined) throw failure;
  });
  return {
    write: (text) => sink.write(text),
    commit: () => sink.flush(),
    // What was written stays written: an interrupted scan's complete lines are kept.
    async abandon() {
      try {
        await sink.flush();
      } catch {
        sink.discard();
      }
      return null;
    },
  };
}

/** `leaks.ndjson` -> `leaks.partial.ndjson`: where an interrupted streaming run leaves its lines. */
export function partialName(path: string): string {
  const extension = extname(path);
  return join(dirname(path), `${basename(path, extension)}.partial${extension}`);
}

async function statOrNull(path: string): Promise<Stats | null> {
  try {
    return await stat(path);
  } catch (error: unknown) {
    if (errnoCode(error) === "ENOENT") return null;
    throw new OutputError(`cannot write ${path}: ${reasonOf(error)}`, { cause: error });
  }
}

/**
 * Checks that `path` can be an output file before anything is scanned: not a folder, in a folder
 * that exists. Returns what is there now (null: nothing yet).
 */
export async function checkOutputPath(path: string): Promise<Stats | null> {
  const existing = await statOrNull(path);
  if (existing?.isDirectory() === true) throw new OutputError(`cannot write ${path}: it is a folder; name a file in it, such as ${join(path, "scan.ndjson")}`);
  const folder = dirname(path);
  const parent = await statOrNull(folder);
  if (parent === null) throw new OutputError(`cannot write ${path}: the folder ${folder} does not exist`);
  if (!parent.isDirectory()) throw new OutputError(`cannot write ${path}: ${folder} is not a folder`);
  return existing;
}

/**
 * Writes all of `text`: one write(2) may take only part of it (a disk that fills up takes what
 * fits and says nothing), so the rest is written again until the system reports the error.
 */
async function writeAll(handle: FileHandle, bytes: Uint8Array): Promise<void> {
  let offset = 0;
  while (offset < bytes.length) {
    const { bytesWritten } = await handle.write(bytes, offset, bytes.length - offset);
    if (bytesWritten === 0) throw Object.assign(new Error("no byte could be written"), { code: "ENOSPC" });
    offset += bytesWritten;
  }
}

export async function fileOutput(path: string): Promise<Output> {
  const existing = await checkOutputPath(path);
  // A device or FIFO (/dev/stdout, a named pipe) is written straight through: a rename would
  // replace the device node itself.
  const direct = existing !== null && !existing.isFile();
  const target = direct ? path : join(dirname(path), `.${basename(path)}.${randomBytes(8).toString("hex")}.tmp`);
  let handle: FileHandle;
  try {
    handle = direct
      ? await open(path, constants.O_WRONLY | constants.O_APPEND)
      : await open(target, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o666);
    // The new file keeps the permissions of the one it replaces (a report shared with a group).
    if (!direct && existing !== null) await handle.chmod(existing.mode & 0o777);
  } catch (error: unknown) {
    throw new OutputError(`cannot write ${path}: ${reasonOf(error)}`, { cause: error });
  }
  const sink = new BatchingSink((chunk) => writeAll(handle, chunk));
  let open_ = true;
  const close = async (): Promise<void> => {
    if (!open_) return;
    open_ = false;
    await handle.close();
  };
  const discard = async (): Promise<void> => {
    sink.discard();
    await close().catch(() => undefined);
    if (!direct) await rm(target, { force: true });
  };
  return {
    write: (text) =>
      sink.write(text)?.catch((error: unknown) => {
        throw new OutputError(`cannot write ${path}: ${reasonOf(error)}${existing === null || direct ? "" : `; the previous ${path} is unchanged`}`, { cause: error });
      }),
    async commit() {
      try {
        await sink.flush();
        await close();
        if (!direct) await rename(target, path);
      } catch (error: unknown) {
        await discard();
        throw new OutputError(`cannot write ${path}: ${reasonOf(error)}${existing === null || direct ? "" : `; the previous ${path} is unchanged`}`, { cause: error });
      }
    },
    async abandon(options = {}) {
      if (direct) {
        await sink.flush().catch(() => undefined);
        await close().catch(() => undefined);
        return options.keepPartial === true ? path : null;
      }
      if (options.keepPartial === true) {
        try {
          await sink.flush();
          await close();
          const partial = partialName(path);
          await rename(target, partial);
          return partial;
        } catch {
          // No room even for the partial lines: nothing is kept rather than a broken line.
        }
      }
      await discard();
      return null;
    },
  };
}
