/**
 * Several async streams pulled as one, for a scan whose inputs grow while it runs: an archive
 * found by triage pushes the stream of its entries. Items of the stream pushed last come first
 * (depth first: an archive's entries are read before the folder walk goes on, so few archives
 * are open at once), and the whole is not done while a task that may still push is running.
 *
 * A stream may hold its next item back until an earlier item is finished with (a tar's next
 * entry comes after this one's bytes); when that item turns out to be an archive itself, the
 * stream it pushes must be pulled meanwhile. So only the top stream is asked for items, and a
 * stream below is never waited on alone.
 */
interface Level<T> {
  iterator: AsyncIterator<readonly T[]>;
  /** The last chunk answered, not yet all handed out (from `at` on); null when none is waiting. */
  chunk: readonly T[] | null;
  at: number;
  /** The stream has ended. */
  done: boolean;
  failure: { error: unknown } | null;
  asking: boolean;
}

/**
 * Streams come as chunks of items (a folder's files: sources/walk.ts), so that a scan takes a
 * folder's thousand files without an await for each (`takeNow`); a stream of single items (an
 * archive's entries) is a stream of chunks of one.
 */
export class SourceStack<T> implements AsyncIterableIterator<T> {
  readonly #levels: Level<T>[] = [];
  /** Items handed out whose tasks have not called settled() yet. */
  #busy = 0;
  #wake: (() => void) | null = null;

  constructor(first: AsyncIterable<readonly T[]>) {
    this.pushChunks(first);
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  /** Adds a stream whose items come before those of every stream already here. */
  push(items: AsyncIterable<T>): void {
    this.pushChunks(eachAlone(items));
  }

  /** push, for a stream that comes in chunks. */
  pushChunks(chunks: AsyncIterable<readonly T[]>): void {
    this.#levels.push({ iterator: chunks[Symbol.asyncIterator](), chunk: null, at: 0, done: false, failure: null, asking: false });
    this.#notify();
  }

  /** Called once for every item handed out, when its task is done (and has pushed what it found). */
  settled(): void {
    this.#busy--;
    this.#notify();
  }

  #notify(): void {
    const wake = this.#wake;
    this.#wake = null;
    wake?.();
  }

  #ask(level: Level<T>): void {
    level.asking = true;
    level.iterator.next().then(
      (answer) => {
        level.asking = false;
        if (answer.done === true) level.done = true;
        else if (answer.value.length > 0) {
          level.chunk = answer.value;
          level.at = 0;
        }
        this.#notify();
      },
      (error: unknown) => {
        level.asking = false;
        level.failure = { error };
        this.#notify();
      },
    );
  }

  /** The next item of `level`'s chunk, handed out. */
  #handOut(level: Level<T>, chunk: readonly T[]): T {
    const item = chunk[level.at++] as T;
    if (level.at >= chunk.length) level.chunk = null;
    this.#busy++;
    return item;
  }

  /**
   * The next item when one is in already, without an await (next() would give the same item);
   * undefined when there is none, or when next() has an error or an end to give first.
   */
  takeNow(): T | undefined {
    const top = this.#levels.at(-1);
    return top !== undefined && top.failure === null && top.chunk !== null ? this.#handOut(top, top.chunk) : undefined;
  }

  async next(): Promise<IteratorResult<T>> {
    for (;;) {
      // Streams that ended are dropped; then the top stream's items, in its chunk or asked for.
      // A stream below waits with the rest of its chunk until those above it have ended (depth
      // first), and is never waited on itself while one above is asking.
      let top = this.#levels.at(-1);
      // (A stream is asked only with no chunk left, so one that has ended holds none.)
      while (top !== undefined && top.done) {
        this.#levels.pop();
        top = this.#levels.at(-1);
      }
      if (top?.failure != null) {
        this.#levels.pop();
        throw top.failure.error;
      }
      if (top?.chunk != null) return { done: false, value: this.#handOut(top, top.chunk) };
      if (top === undefined && this.#busy === 0) return { done: true, value: undefined };
      if (top !== undefined && !top.asking) {
        this.#ask(top);
        continue;
      }
      await new Promise<void>((resolve) => {
        this.#wake = resolve;
      });
    }
  }

  async return(): Promise<IteratorResult<T>> {
    // Streams waiting on work that will never finish now are not awaited.
    for (const level of this.#levels.splice(0)) void level.iterator.return?.().catch(() => undefined);
    return { done: true, value: undefined };
  }
}

/** Items one by one, as a list or a stream, or already in chunks: what chunksOf takes. */
export type Chunkable<T> = Iterable<T> | AsyncIterable<T> | { chunks: AsyncIterable<readonly T[]> };

/** Items of a list taken into one chunk, at most: a list's items are all made already. */
const LIST_CHUNK = 256;

/** Items as chunks: their own chunks, a stream's items one per chunk, a list's up to LIST_CHUNK. */
export function chunksOf<T>(items: Chunkable<T>): AsyncIterable<readonly T[]> {
  if (Symbol.asyncIterator in items) return eachAlone(items);
  if (Symbol.iterator in items) return inChunks(items);
  return items.chunks;
}

/** A stream of items as a stream of chunks of one. */
async function* eachAlone<T>(items: AsyncIterable<T>): AsyncGenerator<readonly T[]> {
  for await (const item of items) yield [item];
}

async function* inChunks<T>(items: Iterable<T>): AsyncGenerator<readonly T[]> {
  let chunk: T[] = [];
  for (const item of items) {
    chunk.push(item);
    if (chunk.length >= LIST_CHUNK) {
      yield chunk;
      chunk = [];
    }
  }
  if (chunk.length > 0) yield chunk;
}
