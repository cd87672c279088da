/**
 * The deep pass: SHA-256 of the whole input, for the chain of custody of a flagged photo.
 */
import { createHash } from "node:crypto";
import { readSync } from "node:fs";
import { OpenedFile } from "../sources/file.js";
import type { OpenedSource } from "../sources/index.js";
import { BoundedMemo } from "../util/memo.js";

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

/** Identities (OpenedFile.identity) remembered by one scan: past this many it starts again. */
const KNOWN_FILES_LIMIT = 4096;

/**
 * The hashes one scan has taken, by file identity: a file reached by two paths (hard links, as in
 * backups made of hard-linked snapshots, or a folder named twice) is one file and is read and
 * hashed once. An identity holds the file's size and change times, so a file written to between
 * two of its paths is hashed again. A hash that failed is forgotten, so the next path tries again.
 */
export class FileHashes {
  readonly #known = new BoundedMemo<Promise<string>>(KNOWN_FILES_LIMIT);
  /** Files whose hash came from another path to them (for tests and figures). */
  reused = 0;

  /** The hash of the file with `identity`: remembered, or `compute()`d now and remembered. */
  async get(identity: string, compute: () => Promise<string>): Promise<string> {
    let computed: Promise<string> | undefined;
    const hash = this.#known.get(identity, () => (computed = compute()));
    if (computed === undefined) this.reused++;
    else {
      computed.catch(() => {
        this.#known.forget(identity, hash);
      });
    }
    return hash;
  }
}

/**
 * SHA-256 of an opened input; a local file on the scan's hashing thread when it has one, and once
 * per file however many paths lead to it when `hashes` is given.
 */
export async function sha256Of(opened: OpenedSource, counter: { bytes: number }, hasher?: DescriptorHasher, hashes?: FileHashes): Promise<string> {
  if (opened instanceof OpenedFile) {
    const identity = hashes === undefined ? null : opened.identity;
    const compute = async (): Promise<string> => {
      const { sha256, bytes } = hasher === undefined ? sha256OfDescriptor(opened.fd) : await hasher.hash(opened.fd, opened.size);
      counter.bytes += bytes;
      return sha256;
    };
    return identity === null || hashes === undefined ? compute() : hashes.get(identity, compute);
  }
  const hash = createHash("sha256");
  for await (const piece of opened.chunks()) {
    hash.update(piece);
    counter.bytes += piece.length;
  }
  return hash.digest("hex");
}
