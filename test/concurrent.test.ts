import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DELIVERED_LATER, mapConcurrent, mapConcurrentBatches, type Deliver } from "../src/util/concurrent.js";

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
