/**
 * Bytes appended piece by piece into a buffer that doubles when full, so a header read in many
 * pieces is copied a few times in all, not once per piece. A reader may also fill the room at the
 * end in place (`room`, then `commit`): a read straight into the buffer, with no piece to copy.
 */
import { Buffer } from "node:buffer";

/**
 * A buffer of `size` bytes, not zero-filled: only the bytes below `length` are ever read, and
 * each of them was written first (zero-filling 64 KiB or more per header showed in profiles).
 */
export function uninitialized(size: number): Uint8Array {
  return Buffer.allocUnsafeSlow(size);
}

const EMPTY = new Uint8Array(0);

/**
 * Where a GrowingBytes gets a larger buffer: at least `size` bytes, none of them read before
 * written. `replaced` is the buffer it outgrew, read once more for the copy and then no more:
 * an allocator that lent it may lend it again.
 */
export type Allocate = (size: number, replaced: Uint8Array) => Uint8Array;

export class GrowingBytes {
  #buffer: Uint8Array;
  #length = 0;
  readonly #allocate: Allocate;

  /**
   * Starts with a copy of `first`, in `storage` while it fits (else a buffer of its own); larger
   * buffers come from `allocate` (by default new ones).
   */
  constructor(first: Uint8Array, storage?: Uint8Array, allocate: Allocate = uninitialized) {
    this.#allocate = allocate;
    this.#buffer = storage !== undefined && storage.length >= first.length ? storage : allocate(Math.max(first.length, 1024), EMPTY);
    this.append(first);
  }

  /**
   * Empty, over `storage`: bytes go straight into it until they outgrow it, and only then into a
   * buffer from `allocate` (a reader's reused, page-aligned buffers: triage/header-slots.ts).
   */
  static within(storage: Uint8Array, allocate?: Allocate): GrowingBytes {
    return new GrowingBytes(EMPTY, storage, allocate);
  }

  get length(): number {
    return this.#length;
  }

  /** The bytes so far: a view, valid until the next append or room. */
  get bytes(): Uint8Array {
    return this.#buffer.subarray(0, this.#length);
  }

  /** Makes room for `more` bytes past the current length. */
  #reserve(more: number): void {
    const needed = this.#length + more;
    if (needed <= this.#buffer.length) return;
    const grown = this.#allocate(Math.max(needed, this.#buffer.length * 2), this.#buffer);
    grown.set(this.bytes);
    this.#buffer = grown;
  }

  append(piece: Uint8Array): void {
    this.#reserve(piece.length);
    this.#buffer.set(piece, this.#length);
    this.#length += piece.length;
  }

  /** The `length` bytes past the end, to be filled in place; `commit` then counts those filled. */
  room(length: number): Uint8Array {
    this.#reserve(length);
    return this.#buffer.subarray(this.#length, this.#length + length);
  }

  /** Counts `filled` bytes of the last `room` as appended. */
  commit(filled: number): void {
    this.#length = Math.min(this.#buffer.length, this.#length + Math.max(0, filled));
  }

  /** Drops the bytes from `length` on. */
  truncate(length: number): void {
    this.#length = Math.min(this.#length, Math.max(0, length));
  }
}
