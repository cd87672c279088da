/**
 * The deep pass: SHA-256 of the whole input, for the chain of custody of a flagged photo.
 */
import { createHash } from "node:crypto";
import { OpenedFile } from "../sources/file.js";
import type { OpenedSource } from "../sources/index.js";

const CHUNK_BYTES = 1 << 20;
/** The chunk a local file is hashed through: one per thread, reused for every flagged file. */
let chunk: Buffer | undefined;

/**
 * A local file is read through one reused buffer: a new megabyte per chunk cost more in fresh
 * pages than the hashing (SHA-256 runs at gigabytes a second on CPUs with SHA instructions). A
 * thread-pool digest was tried and cost 8% more CPU on a dump with flagged photos: WebCrypto copies
 * the whole file first (docs/benchmarks.md).
 */
function sha256OfFile(file: OpenedFile, counter: { bytes: number }): string {
  chunk ??= Buffer.allocUnsafe(CHUNK_BYTES);
  const hash = createHash("sha256");
  for (let offset = 0; ; ) {
    const read = file.readInto(chunk, offset);
    if (read === 0) break;
    hash.update(chunk.subarray(0, read));
    counter.bytes += read;
    offset += read;
  }
  return hash.digest("hex");
}

export async function sha256Of(opened: OpenedSource, counter: { bytes: number }): Promise<string> {
  if (opened instanceof OpenedFile) return sha256OfFile(opened, counter);
  const hash = createHash("sha256");
  for await (const piece of opened.chunks()) {
    hash.update(piece);
    counter.bytes += piece.length;
  }
  return hash.digest("hex");
}
