import pLimit from "p-limit";

/**
 * Maps an async stream through `task` with at most `concurrency` tasks running, yielding results
 * in completion order. Items are pulled from the source only as slots free up, so memory stays
 * flat however long the stream is.
 */
export async function* mapConcurrent<T, R>(
  source: AsyncIterable<T>,
  concurrency: number,
  task: (item: T) => Promise<R>,
): AsyncGenerator<R> {
  const limit = pLimit(concurrency);
  const iterator = source[Symbol.asyncIterator]();
  const pending = new Map<number, Promise<{ id: number; result: R }>>();
  let nextId = 0;
  let exhausted = false;
  // A window of twice the concurrency keeps the workers fed while bounding what is queued.
  const window = concurrency * 2;
  try {
    while (true) {
      while (!exhausted && pending.size < window) {
        const next = await iterator.next();
        if (next.done === true) {
          exhausted = true;
          break;
        }
        const id = nextId++;
        const item = next.value;
        pending.set(id, limit(() => task(item)).then((result) => ({ id, result })));
      }
      if (pending.size === 0) return;
      const { id, result } = await Promise.race(pending.values());
      pending.delete(id);
      yield result;
    }
  } finally {
    if (!exhausted) await iterator.return?.();
    limit.clearQueue();
  }
}
