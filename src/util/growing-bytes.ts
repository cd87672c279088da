/**
 * Bytes appended piece by piece into a buffer that doubles when full, so a header read in many
 * pieces is copied a few times in all, not once per piece.
 */
export class GrowingBytes {
  #buffer: Uint8Array;
  #length: number;

  /** Starts with a copy of `first`. */
  constructor(first: Uint8Array) {
    this.#buffer = new Uint8Array(Math.max(first.length, 1024));
    this.#buffer.set(first);
    this.#length = first.length;
  }

  get length(): number {
    return this.#length;
  }

  /** The bytes so far: a view, valid until the next append. */
  get bytes(): Uint8Array {
    return this.#buffer.subarray(0, this.#length);
  }

  append(piece: Uint8Array): void {
    const needed = this.#length + piece.length;
    if (needed > this.#buffer.length) {
      const grown = new Uint8Array(Math.max(needed, this.#buffer.length * 2));
      grown.set(this.bytes);
      this.#buffer = grown;
    }
    this.#buffer.set(piece, this.#length);
    this.#length = needed;
  }

  /** Drops the bytes from `length` on. */
  truncate(length: number): void {
    this.#length = Math.min(this.#length, Math.max(0, length));
  }
}
