/**
 * Bytes appended piece by piece into a buffer that doubles when full, so a header read in many
 * pieces (a JPEG with nine ICC segments) is copied a few times in all, not once per piece.
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
    this.#reserve(piece.length).set(piece);
  }

  /** Appends `count` zero bytes (the stand-in for a span that was not read). */
  appendZeros(count: number): void {
    this.#reserve(count).fill(0);
  }

  /** Makes room for `count` more bytes and returns where they go. */
  #reserve(count: number): Uint8Array {
    const needed = this.#length + count;
    if (needed > this.#buffer.length) {
      const grown = new Uint8Array(Math.max(needed, this.#buffer.length * 2));
      grown.set(this.bytes);
      this.#buffer = grown;
    }
    const at = this.#length;
    this.#length = needed;
    return this.#buffer.subarray(at, needed);
  }
}
