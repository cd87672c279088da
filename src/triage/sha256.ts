/**
 * The deep pass: SHA-256 of the whole input, for the chain of custody of a flagged photo.
 */
import { createHash } from "node:crypto";
import { readSync } from "node:fs";
import { OpenedFile } from "../sources/file.js";
import type { OpenedSource } from "../sources/index.js";

const CHUNK_BYTES = 1 << 20;
/** The chunk a local file is hashed through: one per thread, reused for every flagged file. */
let chunk: Buffer | undefined;

/**
 * A local file, by descriptor, through one reused buffer: a new megabyte per chunk cost more in
 * fresh pages than the hashing (SHA-256 runs at gigabytes a second on CPUs with SHA instructions).
 * A thread-pool digest was tried and cost 8% more CPU on a dump with flagged photos: WebCrypto
 * copies the whole file first (docs/benchmarks.md). The hashing thread (file-hasher.ts) runs this too.
 */
export function sha256OfDescriptor(fd: number): { sha256: string; bytes: number } {
  chunk ??= Buffer.allocUnsafe(CHUNK_BYTES);
  const hash = createHash("sha256");
  let offset = 0;
  for (;;) {
    const read = readSync(fd, chunk, 0, chunk.length, offset);
    if (read === 0) break;
    hash.update(chunk.subarray(0, read));
    offset += read;
  }
  return { sha256: hash.digest("hex"), bytes: offset };
}

/** What hashes a local file elsewhere (file-hasher.ts: on the scan's hashing thread). */
export interface DescriptorHasher {
  hash(fd: number, size: number): Promise<{ sha256: string; bytes: number }>;
}

/** SHA-256 of an opened input; a local file on the scan's hashing thread when it has one. */
export async function sha256Of(opened: OpenedSource, counter: { bytes: number }, hasher?: DescriptorHasher): Promise<string> {
  if (opened instanceof OpenedFile) {
    const { sha256, bytes } = hasher === undefined ? sha256OfDescriptor(opened.fd) : await hasher.hash(opened.fd, opened.size);
    counter.bytes += bytes;
    return sha256;
  }
  const hash = createHash("sha256");
  for await (const piece of opened.chunks()) {
    hash.update(piece);
    counter.bytes += piece.length;
  }
  return hash.digest("hex");
}
