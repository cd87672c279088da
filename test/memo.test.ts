import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { BoundedMemo, memoized } from "../src/util/memo.js";
import { editorOf } from "../src/analyze/editors.js";

describe("memoized", () => {
  it("computes each distinct value once, null results too, and starts again past its limit", () => {
    const calls: string[] = [];
    const length = memoized((key: string) => {
      calls.push(key);
      return key === "none" ? null : key.length;
    }, 3);
    assert.equal(length("ab"), 2);
    assert.equal(length("ab"), 2);
    assert.equal(length("none"), null);
    assert.equal(length("none"), null);
    assert.deepEqual(calls, ["ab", "none"]);
    length("c");
    length("dddd");
    assert.equal(length("ab"), 2);
    assert.deepEqual(calls, ["ab", "none", "c", "dddd", "ab"]);
  });

  it("forgets a result only while it is still the one remembered", () => {
    const memo = new BoundedMemo<{ n: number }>(4);
    let computed = 0;
    const compute = (): { n: number } => ({ n: ++computed });
    const first = memo.get("a", compute);
    memo.forget("a", { n: first.n });
    assert.equal(memo.get("a", compute), first, "another value of the same shape forgot it");
    memo.forget("a", first);
    assert.equal(memo.get("a", compute).n, 2);
  });

  it("leaves editorOf's answers as they were", () => {
    for (let round = 0; round < 2; round++) {
      assert.equal(editorOf("Adobe Photoshop CC 2015 (Windows)"), "Adobe Photoshop");
      assert.equal(editorOf("D5503 14.2.A.0.204"), null);
      assert.equal(editorOf(null), null);
    }
  });
});
