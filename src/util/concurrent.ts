/**
 * Maps an async stream through `task` with at most `window` tasks started and not yet yielded,
 * yielding results in completion order. A task may return its result instead of a promise of it.
 * Items are pulled from the source only as results leave, so memory stays flat however long the
 * stream is. How many of the started tasks actually run at once is the task's own business
 * (scan.ts limits them with p-limit, or hands them to workers).
 */
export async function* mapConcurrent<T, R>(
  source: AsyncIterable<T>,
  window: number,
  task: (item: T) => R | Promise<R>,
): AsyncGenerator<R> {
  for await (const results of mapConcurrentBatches(source, window, task)) yield* results;
}

/**
 * mapConcurrent, yielding every result completed since the last yield as one array (in
 * completion order, never empty). Each hop of an async generator costs promises and a queue turn;
 * a scan that completes tens of thousands of photos a second pays that once per batch instead of
 * once per photo. A task that fails ends the stream there: the results before it are yielded
 * first, then its error is thrown.
 *
 * Items are awaited one by one, unless the source can hand out one it holds already (TakesNow).
 *
 * Completed results wait in a queue: each completion costs O(1), where racing every pending
 * promise would cost O(window) per result. With `batchLimit`, no more tasks are started once that
 * many results wait: they are yielded first, so results do not wait for a whole window of tasks
 * done at once (and outlive a garbage collection or two) before the consumer sees them.
 */
export async function* mapConcurrentBatches<T, R>(
  source: AsyncIterable<T> & Partial<TakesNow<T>>,
  window: number,
  task: (item: T, deliver: Deliver<R>) => R | Promise<R> | typeof DELIVERED_LATER,
  batchLimit = Number.POSITIVE_INFINITY,
): AsyncGenerator<R[]> {
  const iterator = source[Symbol.asyncIterator]();
  // A source whose items are often in already (SourceStack) hands them out without an await.
  const takeNow = source.takeNow?.bind(source);
  let done: Outcome<R>[] = [];
  let wake: (() => void) | null = null;
  let running = 0;
  let exhausted = false;
  const settle = (outcome: Outcome<R>): void => {
    running--;
    done.push(outcome);
    wake?.();
    wake = null;
  };
  const ok = (value: R): void => {
    settle({ ok: true, value });
  };
  const failed = (error: unknown): void => {
    settle({ ok: false, error });
  };
  const deliver: Deliver<R> = (results) => {
    for (const result of results) {
      if (result instanceof Promise) result.then(ok, failed);
      else ok(result);
    }
  };
  try {
    while (true) {
      while (!exhausted && running + done.length < window && done.length < batchLimit) {
        let item = takeNow?.();
        if (item === undefined) {
          const next = await iterator.next();
          if (next.done === true) {
            exhausted = true;
            break;
          }
          item = next.value;
        }
        let result: R | Promise<R> | typeof DELIVERED_LATER;
        try {
          result = task(item, deliver);
        } catch (error: unknown) {
          done.push({ ok: false, error });
          continue;
        }
        if (result === DELIVERED_LATER) {
          running++;
          continue;
        }
        // A task done at once (a local file read before any await) skips the promise round trip.
        if (!(result instanceof Promise)) {
          done.push({ ok: true, value: result });
          continue;
        }
        running++;
        result.then(ok, failed);
      }
      if (done.length === 0) {
        if (running === 0) return;
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
        continue;
      }
      const completed = done;
      done = [];
      const values: R[] = [];
      for (const outcome of completed) {
        if (!outcome.ok) {
          if (values.length > 0) yield values;
          throw outcome.error;
        }
        values.push(outcome.value);
      }
      yield values;
    }
  } finally {
    if (!exhausted) await iterator.return?.();
  }
}

type Outcome<R> = { ok: true; value: R } | { ok: false; error: unknown };

/**
 * A stream that can hand out an item it holds already, without an await: undefined when it holds
 * none (then its iterator is awaited), so its items are never undefined.
 */
export interface TakesNow<T> {
  takeNow(): T | undefined;
}

/**
 * What a task of mapConcurrentBatches returns when its result will come through `deliver`
 * instead: work that completes in bulk elsewhere (a worker thread answers a whole batch of files
 * with one message), where a promise per item would cost more than the item's own bookkeeping.
 */
export const DELIVERED_LATER: unique symbol = Symbol("delivered later");

/**
 * Hands over the results of tasks that returned DELIVERED_LATER, one result per such task, in any
 * order and in as many calls as suits. A result may be a promise: it completes the usual way.
 * Every task of one stream is given the same function.
 */
export type Deliver<R> = (results: readonly (R | Promise<R>)[]) => void;

/**
 * The items of `source` until `signal` aborts, then nothing more, at once: an abort does not wait
 * for the item being awaited (a scan whose every input is stuck on a slow server ends when it is
 * told to, not when the server answers). The source is closed without waiting for it.
 */
export async function* untilAborted<T>(source: AsyncIterable<T>, signal: AbortSignal | undefined): AsyncGenerator<T> {
  if (signal === undefined) {
    yield* source;
    return;
  }
  const iterator = source[Symbol.asyncIterator]();
  // The wait for the current item, ended early by an abort. Not Promise.race against one promise
  // that stays pending for the whole scan: each race leaves a reaction on it, held until the end
  // (100,000 files grew the heap by 120 MB), where a promise per item is garbage once settled.
  let abortWait: (() => void) | undefined;
  const listener = (): void => {
    abortWait?.();
  };
  signal.addEventListener("abort", listener, { once: true });
  const stopListening = (): void => {
    signal.removeEventListener("abort", listener);
  };
  let finished = false;
  try {
    while (!signal.aborted) {
      const pending = iterator.next();
      const next = await new Promise<IteratorResult<T> | "aborted">((resolve, reject) => {
        abortWait = () => {
          resolve("aborted");
        };
        pending.then(resolve, reject);
      });
      abortWait = undefined;
      if (next === "aborted") return;
      if (next.done === true) {
        finished = true;
        return;
      }
      yield next.value;
    }
  } finally {
    stopListening();
    // Not awaited: after an abort the source may still be inside the item it was awaiting.
    if (!finished) void iterator.return?.(undefined).catch(() => undefined);
  }
}
