/**
 * A zip entry's bytes as an OpenedSource, read in place: a stored entry by ranged reads of the
 * archive, a deflated one inflated only as far as triage reads. Nothing is written to disk.
 */
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { constants, crc32, createInflateRaw, inflateRawSync } from "node:zlib";
import { GrowingBytes } from "../../util/growing-bytes.js";
import { SourceError, type OpenedSource } from "../types.js";

/**
 * The most inflated bytes of one deflated entry held for reads at any offset: far more than any
 * photo's metadata (triage reads at most --max-bytes, 32 MiB), enough for a zip nested inside
 * another (read by random access too). A deflate bomb never gets past it.
 */
export const ENTRY_MEMORY_BYTES = 64 * 1024 * 1024;
const CHUNK_BYTES = 1 << 20;
/** Deflate's stored blocks add 5 bytes per 64 KiB: compressed bytes beyond `n` that give `n` out. */
const SLACK_BYTES = 4096;

/** Where an entry's bytes are and what the archive says they are. */
export interface EntryData {
  /** The entry's source id, for messages. */
  readonly id: string;
  /** The archive, shared by every entry (closed by its owner, never here). */
  readonly archive: OpenedSource;
  readonly dataStart: number;
  readonly compressedSize: number;
  /** The size the archive declares for the entry's own bytes. */
  readonly size: number;
  readonly crc32: number;
  /** Compressed bytes from dataStart already read along with the local header. */
  readonly preload: Uint8Array;
  readonly release: () => void;
}

function corrupt(id: string, problem: string, cause?: unknown): SourceError {
  return new SourceError("corrupt-archive", `${id}: ${problem}`, cause === undefined ? undefined : { cause });
}

function hex(value: number): string {
  return value.toString(16).padStart(8, "0");
}

/**
 * The entry's bytes in chunks, checked against what the archive declares: a CRC-32 or size that
 * does not match means the entry is damaged or the central directory lies, and the deep pass's
 * SHA-256 would be of bytes nobody put there.
 */
async function* checked(data: EntryData, chunks: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  let total = 0;
  let crc = 0;
  for await (const chunk of chunks) {
    total += chunk.length;
    if (total > data.size) throw corrupt(data.id, `its data runs past the ${String(data.size)} bytes the archive declares for it (the central directory lies)`);
    crc = crc32(chunk, crc);
    yield chunk;
  }
  if (total < data.size) throw corrupt(data.id, `only ${String(total)} of the ${String(data.size)} bytes the archive declares could be read (the archive is truncated)`);
  if (crc !== data.crc32) throw corrupt(data.id, `its CRC-32 is ${hex(crc)}, not the ${hex(data.crc32)} the archive records: the entry is damaged`);
}

/** The entry's compressed bytes, from the archive in chunks (the preload first). */
async function* compressedChunks(data: EntryData): AsyncGenerator<Uint8Array> {
  let offset = Math.min(data.preload.length, data.compressedSize);
  if (offset > 0) yield data.preload.subarray(0, offset);
  while (offset < data.compressedSize) {
    const chunk = await data.archive.read(data.dataStart + offset, Math.min(CHUNK_BYTES, data.compressedSize - offset));
    if (chunk.length === 0) return;
    offset += chunk.length;
    yield chunk;
  }
}

abstract class EntryBytes implements OpenedSource {
  protected readonly data: EntryData;
  #closed = false;

  constructor(data: EntryData) {
    this.data = data;
  }

  get size(): number {
    return this.data.size;
  }

  abstract read(offset: number, length: number): Promise<Uint8Array>;
  protected abstract raw(): AsyncIterable<Uint8Array>;

  chunks(): AsyncIterable<Uint8Array> {
    return checked(this.data, this.raw());
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.data.release();
  }
}

/** A stored entry: its bytes are the archive's, at an offset. */
export class StoredEntry extends EntryBytes {
  async read(offset: number, length: number): Promise<Uint8Array> {
    const end = Math.min(offset + length, this.data.size);
    if (end <= offset) return new Uint8Array(0);
    if (end <= this.data.preload.length) return this.data.preload.subarray(offset, end);
    return this.data.archive.read(this.data.dataStart + offset, end - offset);
  }

  protected raw(): AsyncIterable<Uint8Array> {
    return compressedChunks(this.data);
  }
}

/**
 * A deflated entry. Reads inflate the entry's head, synchronously (zlib's one-shot inflate with
 * Z_SYNC_FLUSH returns what a prefix of the compressed data holds), from as many compressed
 * bytes as the read needs: a photo's 64 KiB of metadata costs about 64 KiB of compressed data,
 * and a deflate bomb (1000:1) is cut by the output bound instead of inflating to gigabytes.
 * A read past the head inflates again from the start with twice the input: the total work stays
 * within twice the bytes finally needed.
 */
export class DeflatedEntry extends EntryBytes {
  /**
   * Most photos' headers end within 16 KiB (half of the phone and camera photos of the shared
   * corpus end by 11 KiB, two thirds by 16 KiB): inflating 64 KiB for each would triple the work.
   */
  readonly firstReadBytes = 16 * 1024;
  /** Compressed bytes read so far: the preload as it came, copied only when more are read. */
  #compressed: GrowingBytes | null = null;
  /** The entry's head, inflated from the first #taken compressed bytes. */
  #inflated: Uint8Array = new Uint8Array(0);
  #taken = 0;
  /** All compressed bytes were inflated: #inflated is the whole entry (or all there is of it). */
  #complete = false;

  get #compressedBytes(): Uint8Array {
    return this.#compressed?.bytes ?? this.data.preload.subarray(0, Math.min(this.data.preload.length, this.data.compressedSize));
  }

  async read(offset: number, length: number): Promise<Uint8Array> {
    const end = Math.min(offset + length, this.data.size);
    if (end <= offset) return new Uint8Array(0);
    if (end > ENTRY_MEMORY_BYTES) {
      throw new SourceError("archive-limit", `${this.data.id}: reading bytes up to ${String(end)} of a deflated entry would hold more than ${String(ENTRY_MEMORY_BYTES)} inflated bytes in memory`);
    }
    if (this.#inflated.length < end && !this.#complete) await this.#inflateTo(end);
    return this.#inflated.subarray(offset, Math.min(end, this.#inflated.length));
  }

  protected raw(): AsyncIterable<Uint8Array> {
    return inflateStream(this.data);
  }

  /** Inflates a head of at least `end` bytes, or all there is. */
  async #inflateTo(end: number): Promise<void> {
    // Output accepted from one inflate: room enough that ordinary data never hits it, small
    // enough that a bomb's few compressed bytes cannot make a big buffer.
    const limit = Math.min(ENTRY_MEMORY_BYTES, Math.max(2 * end, end + CHUNK_BYTES));
    let low = this.#taken; // inflating this many compressed bytes gave less than `end`
    let high = this.data.compressedSize + 1; // this many gave more than `limit`
    let take = Math.min(this.data.compressedSize, Math.max(2 * this.#taken, end + SLACK_BYTES));
    // Each round halves [low, high] or doubles the input: a few dozen rounds cover 2^52 bytes.
    for (let round = 0; round < 64 && take > low; round++) {
      const available = await this.#fill(take);
      const out = this.#inflate(available, end, limit);
      if (out === null) {
        high = take;
        take = Math.floor((low + high) / 2);
        continue;
      }
      this.#inflated = out.length > this.data.size ? out.subarray(0, this.data.size) : out;
      this.#taken = available;
      if (available < take || available >= this.data.compressedSize) this.#complete = true;
      if (this.#complete || out.length >= end) return;
      low = available;
      take = Math.min(this.data.compressedSize, high <= this.data.compressedSize ? Math.floor((low + high) / 2) : 2 * available);
    }
  }

  /** Makes sure `take` compressed bytes are read (fewer when the archive ends first); returns how many are. */
  async #fill(take: number): Promise<number> {
    while (this.#compressedBytes.length < take) {
      const offset = this.#compressedBytes.length;
      const more = await this.data.archive.read(this.data.dataStart + offset, Math.max(take - offset, 64 * 1024));
      if (more.length === 0) break;
      this.#compressed ??= new GrowingBytes(this.#compressedBytes);
      this.#compressed.append(more.subarray(0, Math.min(more.length, this.data.compressedSize - offset)));
    }
    return Math.min(take, this.#compressedBytes.length);
  }

  /** Inflates the first `take` compressed bytes; null when they hold more than `limit` bytes. */
  #inflate(take: number, end: number, limit: number): Uint8Array | null {
    try {
      // One output buffer of about the size expected (zlib's default is 16 KiB pieces, joined).
      const chunkSize = Math.min(limit, Math.max(end + 2 * SLACK_BYTES, 64 * 1024));
      return inflateRawSync(this.#compressedBytes.subarray(0, take), { finishFlush: constants.Z_SYNC_FLUSH, maxOutputLength: limit, chunkSize });
    } catch (error: unknown) {
      if ((error as NodeJS.ErrnoException | null)?.code === "ERR_BUFFER_TOO_LARGE") return null;
      throw corrupt(this.data.id, `its deflated data is damaged (${error instanceof Error ? error.message : String(error)})`, error);
    }
  }
}

/** The whole entry inflated as a stream, in bounded memory: the deep pass's SHA-256 of a bomb is slow, never big. */
async function* inflateStream(data: EntryData): AsyncGenerator<Uint8Array> {
  const inflater = createInflateRaw({ chunkSize: 256 * 1024 });
  const feeding = pipeline(Readable.from(compressedChunks(data)), inflater);
  // The pipeline's own rejection is the inflater's error, which the loop below sees first.
  feeding.catch(() => undefined);
  try {
    for await (const chunk of inflater as AsyncIterable<Buffer>) yield chunk;
  } catch (error: unknown) {
    throw corrupt(data.id, `its deflated data is damaged (${error instanceof Error ? error.message : String(error)})`, error);
  } finally {
    inflater.destroy();
  }
}
