/**
 * The overflow buffers of a thread's header regions (triage/header-slots.ts): lent to headers that
 * outgrow their 128 KiB region, taken back when outgrown or when the batch ends, kept up to 8 MiB.
 * In a file of its own: each test file runs in a process of its own, so the pool starts empty.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { overflowBuffer, overflowState, releaseOverflow } from "../src/triage/header-slots.js";

describe("overflow buffers", () => {
  // In order, from an empty pool.
  it("takes back the buffer a header outgrew, and lends none past 1 MiB from the pool", () => {
    const first = overflowBuffer(300 * 1024);
    // Grown as GrowingBytes grows: to more than the buffer it outgrew.
    const grown = overflowBuffer(2 * first.length, first);
    assert.notEqual(grown, first);
    // One lent: the outgrown buffer is free again, for the next header of the same batch.
    assert.equal(overflowState().lent, 1);
    assert.equal(overflowBuffer(first.length), first);
    // A header past 1 MiB has a buffer of its own, neither lent nor kept.
    const before = overflowState();
    const huge = overflowBuffer(3 * 1024 * 1024, grown);
    assert.ok(huge.length >= 3 * 1024 * 1024);
    assert.equal(overflowState().lent, before.lent - 1);
    releaseOverflow();
    assert.ok(overflowState().keptBytes < 3 * 1024 * 1024);
    releaseOverflow();
  });

  it("lends overflow buffers page-aligned, the smallest that fits, and keeps at most 8 MiB of them", () => {
    const MiB = 1024 * 1024;
    const large = Array.from({ length: 10 }, () => overflowBuffer(MiB));
    for (const buffer of large) {
      // A WebAssembly memory of its own, from its first byte: page-aligned.
      assert.equal(buffer.byteOffset, 0);
      assert.equal(buffer.buffer.byteLength % (64 * 1024), 0);
      assert.ok(buffer.length >= MiB);
    }
    assert.equal(new Set(large).size, 10);
    assert.equal(overflowState().lent, 10);
    releaseOverflow();
    const state = overflowState();
    assert.equal(state.lent, 0);
    assert.ok(state.keptBytes <= 8 * MiB, JSON.stringify(state));
    // The smallest that fits: a small one for a small header, a kept large one for a large header.
    const small = overflowBuffer(100 * 1024);
    assert.ok(small.length < MiB, String(small.length));
    const kept = [];
    for (let buffer = overflowBuffer(MiB); large.includes(buffer); buffer = overflowBuffer(MiB)) kept.push(buffer);
    // Some were let go to stay under 8 MiB, the rest lent again.
    assert.ok(kept.length > 0 && kept.length < 10, String(kept.length));
    releaseOverflow();
  });

  it("keeps the 8 MiB bound when the batch's headers all grew past 1 MiB and nothing stays lent", () => {
    const MiB = 1024 * 1024;
    const pooled = Array.from({ length: 12 }, () => overflowBuffer(MiB));
    // Each header grows past 1 MiB: its pooled buffer comes back, and none is lent any more.
    for (const buffer of pooled) overflowBuffer(2 * MiB, buffer);
    assert.equal(overflowState().lent, 0);
    releaseOverflow();
    assert.ok(overflowState().keptBytes <= 8 * MiB, JSON.stringify(overflowState()));
  });
});
