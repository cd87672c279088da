import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from "node:fs";
import { readSidecar } from "./sidecar.js";
import type { OpenedSource, PhotoSource } from "./types.js";

const CHUNK_BYTES = 1 << 20;

/** The buffer borrowPrefix reads into: one per thread, grown to the largest prefix asked for. */
let shared = Buffer.allocUnsafe(64 * 1024);

/**
 * A local file, opened read-only (exifhunt never modifies its inputs). Reads are synchronous:
 * a photo's metadata prefix is one `read` of at most a few dozen KiB from the page cache, where
 * the thread-pool round trip of promise-based fs costs more than the read itself. Parallelism
 * comes from worker threads (parallel/), not from overlapping reads.
 */
export class OpenedFile implements OpenedSource {
  readonly #fd: number;
  readonly size: number;
  readonly #stat: Stats | undefined;

  constructor(fd: number, size: number, stat?: Stats) {
    this.#fd = fd;
    this.size = size;
    this.#stat = stat;
  }

  /**
   * The file's identity as of its opening: device, inode, size and change times. Two paths with
   * the same identity are one file (hard links, or a folder reached twice), with the same bytes;
   * a file written to since has another. Null when it was opened without its status.
   */
  get identity(): string | null {
    const stat = this.#stat;
    return stat === undefined ? null : `${String(stat.dev)}:${String(stat.ino)}:${String(stat.size)}:${String(stat.mtimeMs)}:${String(stat.ctimeMs)}`;
  }

  /** The descriptor, for the deep pass's hashing thread (descriptors belong to the process). */
  get fd(): number {
    return this.#fd;
  }

  async read(offset: number, length: number): Promise<Uint8Array> {
    const wanted = Math.max(0, Math.min(length, this.size - offset));
    const buffer = Buffer.allocUnsafe(wanted);
    return buffer.subarray(0, this.#fill(buffer, offset, wanted));
  }

  /** Reads into `target` at `offset`, synchronously: how many bytes, fewer only at the end of the file. */
  readInto(target: Uint8Array, offset: number): number {
    const wanted = Math.max(0, Math.min(target.length, this.size - offset));
    return this.#fill(target, offset, wanted);
  }

  borrowPrefix(length: number): Uint8Array {
    if (shared.length < length) shared = Buffer.allocUnsafe(length);
    return shared.subarray(0, this.#fill(shared, 0, Math.max(0, Math.min(length, this.size))));
  }

  /** Fills `buffer` from `offset` with up to `wanted` bytes; how many it read. */
  #fill(buffer: Uint8Array, offset: number, wanted: number): number {
    let filled = 0;
    while (filled < wanted) {
      const bytesRead = readSync(this.#fd, buffer, filled, wanted - filled, offset + filled);
      if (bytesRead === 0) break; // the file shrank while we read it
      filled += bytesRead;
    }
    return filled;
  }

  async *chunks(): AsyncIterable<Uint8Array> {
    for (let offset = 0; ; offset += CHUNK_BYTES) {
      const chunk = await this.read(offset, CHUNK_BYTES);
      if (chunk.length === 0) return;
      yield chunk;
    }
  }

  async close(): Promise<void> {
    this.closeNow();
  }

  /** close() without a promise, for triage that finishes a file before any await. */
  closeNow(): void {
    closeSync(this.#fd);
  }
}

export function openFile(path: string): OpenedFile {
  // Read-only, and non-blocking so that opening a FIFO named as a photo returns at once instead
  // of waiting for a writer; fstat then refuses anything that is not a regular file.
  const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const stat = fstatSync(fd);
    if (stat.isDirectory()) throw Object.assign(new Error(`${path} is a directory`), { code: "EISDIR" });
    if (!stat.isFile()) throw Object.assign(new Error(`${path} is not a regular file (a pipe, socket or device)`), { code: "EISDIR" });
    return new OpenedFile(fd, stat.size, stat);
  } catch (error: unknown) {
    closeSync(fd);
    throw error;
  }
}

/**
 * A local file. `hasSidecar`: whether a gallery-dl sidecar (`NAME.json`) lies beside it, when the
 * caller already knows (a folder walk has the directory's names): false spares a failed open per
 * photo, some 10 µs, which on a dump of 100,000 photos is a second. Unknown (undefined): looked for.
 */
export function fileSource(path: string, explicit: boolean, hasSidecar?: boolean): PhotoSource {
  // One literal of one shape per case, not a spread copy: a walk makes one per file.
  const open = async (): Promise<OpenedFile> => openFile(path);
  if (hasSidecar === undefined) return { id: path, kind: "file", explicit, path, open, sidecar: () => readSidecar(path) };
  return { id: path, kind: "file", explicit, path, open, sidecar: hasSidecar ? () => readSidecar(path) : noSidecar, hasSidecar };
}

function noSidecar(): null {
  return null;
}
