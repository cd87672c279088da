import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DELIVERED_LATER, mapConcurrent, mapConcurrentBatches, type Deliver } from "../src/util/concurrent.js";
import { SourceStack } from "../src/util/source-stack.js";

async function* numbers(count: number): AsyncGenerator<number> {
  for (let i = 0; i < count; i++) yield i;
}

/** A promise settled from outside: the test decides the order tasks complete in. */
function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void; reject: (error: unknown) => void } {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe("mapConcurrentBatches", () => {
  it("yields what completed at once as one batch, and never more than the window started", async () => {
    let started = 0;
    const batches: number[][] = [];
    for await (const batch of mapConcurrentBatches(numbers(10), 4, (n) => {
      started++;
      return n * 10;
    })) {
      // Started and not yet handed over: at most the window, however fast tasks complete.
      assert.ok(started - batches.flat().length <= 4, `${String(started)} started, ${String(batches.flat().length)} handed over`);
      batches.push(batch);
    }
    assert.deepEqual(batches, [[0, 10, 20, 30], [40, 50, 60, 70], [80, 90]]);
  });

  it("yields once batchLimit results wait, before the window is full, starting nothing more meanwhile", async () => {
    let started = 0;
    const batches: number[][] = [];
    for await (const batch of mapConcurrentBatches(numbers(10), 8, (n) => {
      started++;
      return n;
    }, 3)) {
      assert.equal(started, batches.flat().length + batch.length, "a task started while results waited");
      batches.push(batch);
    }
    assert.deepEqual(batches, [[0, 1, 2], [3, 4, 5], [6, 7, 8], [9]]);
  });

  it("keeps completion order across promises and values done at once", async () => {
    const waits = [deferred<string>(), deferred<string>()];
    const seen: string[][] = [];
    const stream = mapConcurrentBatches(numbers(4), 8, (n) => (n < 2 ? (waits[n] as { promise: Promise<string> }).promise : `now ${String(n)}`));
    const first = await stream.next();
    seen.push(first.value as string[]);
    waits[1]?.resolve("late 1");
    waits[0]?.resolve("late 0");
    for await (const batch of stream) seen.push(batch);
    assert.deepEqual(seen, [["now 2", "now 3"], ["late 1", "late 0"]]);
  });

  it("yields the results before a failure, then throws it", async () => {
    const seen: number[][] = [];
    const run = async (): Promise<void> => {
      for await (const batch of mapConcurrentBatches(numbers(5), 8, (n) => {
        if (n === 3) throw new Error("three");
        return n;
      })) {
        seen.push(batch);
      }
    };
    await assert.rejects(run, /three/);
    assert.deepEqual(seen, [[0, 1, 2]]);
  });

  it("takes results delivered later, in bulk, values and promises, counting them against the window", { timeout: 10_000 }, async () => {
    let deliver: Deliver<string> | undefined;
    const held: number[] = [];
    let mostHeld = 0;
    const seen: string[] = [];
    for await (const batch of mapConcurrentBatches<number, string>(numbers(9), 4, (n, handOver) => {
      if (n % 3 === 0) return `now ${String(n)}`;
      deliver = handOver;
      held.push(n);
      mostHeld = Math.max(mostHeld, held.length);
      // Answered in bulk, from outside the task, once two are waiting: one as a value, one as a promise.
      if (held.length === 2) {
        const [first, second] = held.splice(0);
        setImmediate(() => {
          handOver([`later ${String(first)}`, Promise.resolve(`promised ${String(second)}`)]);
        });
      }
      return DELIVERED_LATER;
    })) {
      seen.push(...batch);
    }
    assert.ok(deliver !== undefined);
    assert.ok(mostHeld <= 2);
    assert.deepEqual([...seen].sort(), ["later 1", "later 4", "later 7", "now 0", "now 3", "now 6", "promised 2", "promised 5", "promised 8"]);
  });

  it("closes its source when the consumer stops early", async () => {
    let closed = false;
    async function* source(): AsyncGenerator<number> {
      try {
        for (let i = 0; ; i++) yield i;
      } finally {
        closed = true;
      }
    }
    for await (const batch of mapConcurrentBatches(source(), 3, (n) => n)) {
      assert.deepEqual(batch, [0, 1, 2]);
      break;
    }
    assert.equal(closed, true);
  });
});

describe("mapConcurrent", () => {
  it("yields the same results one by one", async () => {
    const results: number[] = [];
    for await (const value of mapConcurrent(numbers(7), 3, async (n) => Promise.resolve(n + 1))) results.push(value);
    assert.deepEqual(results.sort((a, b) => a - b), [1, 2, 3, 4, 5, 6, 7]);
  });
});

describe("a stack of chunked sources", () => {
  /** Chunks of `size` numbers, counting how often the stream is asked for its next chunk. */
  function chunked(count: number, size: number, asked: { count: number }): AsyncIterable<number[]> {
    return {
      [Symbol.asyncIterator]: () => {
        let next = 0;
        return {
          next: () => {
            asked.count++;
            if (next >= count) return Promise.resolve({ done: true as const, value: undefined });
            const chunk = Array.from({ length: Math.min(size, count - next) }, (_, i) => next + i);
            next += chunk.length;
            return Promise.resolve({ done: false as const, value: chunk });
          },
        };
      },
    };
  }

  async function drain(count: number): Promise<{ items: number[]; asked: number; awaited: number }> {
    const asked = { count: 0 };
    const stack = new SourceStack(chunked(count, 1000, asked));
    // Counts the items the consumer had to await, against those it took at once.
    let awaited = 0;
    const next = stack.next.bind(stack);
    stack.next = () => {
      awaited++;
      return next();
    };
    const items: number[] = [];
    for await (const batch of mapConcurrentBatches(stack, 64, (n) => {
      stack.settled();
      return n;
    }, 32)) items.push(...batch);
    return { items, asked: asked.count, awaited };
  }

  it("hands a chunk's items out without an await for each: awaits grow with the chunks, not the items", async () => {
    const small = await drain(10_000);
    const large = await drain(20_000);
    assert.deepEqual(small.items, Array.from({ length: 10_000 }, (_, i) => i));
    assert.deepEqual(large.items, Array.from({ length: 20_000 }, (_, i) => i));
    // One request per chunk of 1,000 and one for the end.
    assert.equal(small.asked, 11);
    assert.equal(large.asked, 21);
    // An await per chunk (and the end), not per item: 10,000 items took at most a few dozen.
    assert.ok(small.awaited <= 3 * small.asked, `${String(small.awaited)} awaits for 10,000 items`);
    assert.ok(large.awaited <= 3 * large.asked, `${String(large.awaited)} awaits for 20,000 items`);
  });

  it("takes a pushed stream's items before the rest of the chunk below it", async () => {
    const stack = new SourceStack(chunked(6, 3, { count: 0 }));
    const seen: number[] = [];
    for (let result = await stack.next(); result.done !== true; result = await stack.next()) {
      seen.push(result.value);
      // Once, after the first chunk's second item, as triage pushes an archive's entries.
      if (seen.length === 2) stack.push(numbers(2));
      stack.settled();
    }
    // 0, 1 from the first chunk; the pushed stream's 0, 1 come before the chunk's 2.
    assert.deepEqual(seen, [0, 1, 0, 1, 2, 3, 4, 5]);
  });
});
