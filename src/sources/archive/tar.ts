/**
 * tar and tar.gz archives, read in one streaming pass (gzip allows no other): tar-stream parses
 * the headers (ustar, pax, GNU long names), node:zlib inflates. Entries are handed out one at a
 * time; each is read as it streams past, and the pass moves on once the scan is done with it.
 */
import { Readable } from "node:stream";
import { createGunzip } from "node:zlib";
import tarStream from "tar-stream";
import type { ArchiveCustody } from "../../record.js";
import { GrowingBytes } from "../../util/growing-bytes.js";
import { SourceError, type OpenedSource } from "../types.js";
import { ENTRY_MEMORY_BYTES } from "./entry.js";

/** A tar entry as it streams past: readable from its start as far as triage asks, once. */
export class StreamingEntry implements OpenedSource {
  readonly size: number;
  readonly #id: string;
  readonly #chunks: AsyncIterator<Buffer>;
  /** The entry's bytes from its start, as far as reads have pulled them. */
  readonly #head = new GrowingBytes(new Uint8Array(0));
  #ended = false;
  /** Set once chunks() has streamed past the head: the head no longer covers what was read. */
  #streamed = false;
  readonly #released: Promise<void>;
  #release: () => void = () => undefined;

  constructor(stream: AsyncIterable<Buffer>, size: number, id: string) {
    this.size = size;
    this.#id = id;
    this.#chunks = stream[Symbol.asyncIterator]();
    this.#released = new Promise((resolve) => {
      this.#release = resolve;
    });
  }

  /** Resolves when the entry is closed: the pass may move on. */
  get released(): Promise<void> {
    return this.#released;
  }

  async #pull(): Promise<Buffer | null> {
    if (this.#ended) return null;
    const next = await this.#chunks.next();
    if (next.done === true) {
      this.#ended = true;
      return null;
    }
    return next.value;
  }

  async read(offset: number, length: number): Promise<Uint8Array> {
    const end = Math.min(offset + length, this.size);
    if (end <= offset) return new Uint8Array(0);
    if (this.#streamed) throw new SourceError("read-failed", `${this.#id}: a tar entry is read once, as it streams past`);
    if (end > ENTRY_MEMORY_BYTES) {
      throw new SourceError("archive-limit", `${this.#id}: reading bytes up to ${String(end)} of an entry in a tar stream would hold more than ${String(ENTRY_MEMORY_BYTES)} bytes in memory`);
    }
    while (this.#head.length < end) {
      const chunk = await this.#pull();
      if (chunk === null) break;
      this.#head.append(chunk);
    }
    return this.#head.bytes.subarray(offset, Math.min(end, this.#head.length));
  }

  async *chunks(): AsyncIterable<Uint8Array> {
    if (this.#streamed) throw new SourceError("read-failed", `${this.#id}: a tar entry is read once, as it streams past`);
    this.#streamed = true;
    if (this.#head.length > 0) yield this.#head.bytes.slice();
    for (let chunk = await this.#pull(); chunk !== null; chunk = await this.#pull()) yield chunk;
  }

  /** Reads the rest of the entry, unused, so the archive's stream reaches the next header. */
  async drain(): Promise<void> {
    while ((await this.#pull()) !== null) {
      // discarded
    }
  }

  async close(): Promise<void> {
    this.#release();
  }
}

export interface TarEntry {
  index: number;
  name: string;
  size: number;
  modified: string | null;
  /** Only regular files are read: links are never followed, devices never opened. */
  isFile: boolean;
  stream: AsyncIterable<Buffer>;
}

/** The entries of a tar (gzip: a tar.gz), in stream order; throws where the stream breaks off. */
export async function* tarEntries(archive: OpenedSource, gzip: boolean): AsyncGenerator<TarEntry> {
  const input = Readable.from(archive.chunks());
  const extract = tarStream.extract();
  const gunzip = gzip ? createGunzip() : null;
  const fail = (error: unknown): void => {
    extract.destroy(error instanceof Error ? error : new Error(String(error)));
  };
  input.on("error", fail);
  gunzip?.on("error", fail);
  if (gunzip === null) input.pipe(extract);
  else input.pipe(gunzip).pipe(extract);
  let index = 0;
  try {
    for await (const entry of extract) {
      const { header } = entry;
      yield {
        index: index++,
        name: header.name,
        size: header.size,
        modified: Number.isNaN(header.mtime.getTime()) ? null : header.mtime.toISOString().replace(/\.\d{3}Z$/, "Z"),
        isFile: header.type === "file" || header.type === "contiguous-file",
        stream: entry as unknown as AsyncIterable<Buffer>,
      };
    }
  } finally {
    input.destroy();
    gunzip?.destroy();
    extract.destroy();
  }
}

export function tarCustody(entry: TarEntry, container: string, root: string, position: number[], shownName: string, gzip: boolean): ArchiveCustody {
  return {
    container,
    root,
    format: gzip ? "tar.gz" : "tar",
    entry: shownName,
    position,
    size: entry.size,
    compressedSize: null,
    crc32: null,
    modified: entry.modified,
    method: null,
  };
}
