/**
 * Several async streams pulled as one, for a scan whose inputs grow while it runs: an archive
 * found by triage pushes the stream of its entries. Items of the stream pushed last come first
 * (depth first: an archive's entries are read before the folder walk goes on, so few archives
 * are open at once), and the whole is not done while a task that may still push is running.
 *
 * A stream may hold its next item back until an earlier item is finished with (a tar's next
 * entry comes after this one's bytes); when that item turns out to be an archive itself, the
 * stream it pushes must be pulled meanwhile. So only the top stream is asked for items, and an
 * unanswered request of a stream below is kept, never waited on alone.
 */
interface Level<T> {
  iterator: AsyncIterator<T>;
  /** The answer to the last request, not yet handed out. */
  answer: IteratorResult<T> | null;
  failure: { error: unknown } | null;
  asking: boolean;
}

export class SourceStack<T> implements AsyncIterableIterator<T> {
  readonly #levels: Level<T>[] = [];
  /** Items handed out whose tasks have not called settled() yet. */
  #busy = 0;
  #wake: (() => void) | null = null;

  constructor(first: AsyncIterable<T>) {
    this.push(first);
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  /** Adds a stream whose items come before those of every stream already here. */
  push(items: AsyncIterable<T>): void {
    this.#levels.push({ iterator: items[Symbol.asyncIterator](), answer: null, failure: null, asking: false });
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
        level.answer = answer;
        this.#notify();
      },
      (error: unknown) => {
        level.asking = false;
        level.failure = { error };
        this.#notify();
      },
    );
  }

  async next(): Promise<IteratorResult<T>> {
    for (;;) {
      // Answers already in, topmost first; streams that ended are dropped.
      for (let i = this.#levels.length - 1; i >= 0; i--) {
        const level = this.#levels[i];
        if (level === undefined) continue;
        if (level.failure !== null) {
          this.#levels.splice(i, 1);
          throw level.failure.error;
        }
        const answer = level.answer;
        if (answer === null) continue;
        level.answer = null;
        if (answer.done === true) {
          this.#levels.splice(i, 1);
          continue;
        }
        this.#busy++;
        return answer;
      }
      const top = this.#levels.at(-1);
      if (top === undefined && this.#busy === 0) return { done: true, value: undefined };
      if (top !== undefined && !top.asking && top.answer === null) {
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
