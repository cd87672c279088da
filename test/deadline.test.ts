/**
 * An input's time limit (triage/deadline.ts) under node:test's mock timers: the clock is advanced
 * by hand, so no test waits for real time to pass. The deadline reads performance.now(), which
 * Node 20's mock timers leave alone: it is held still here too, and moved with them (a real clock
 * that moved a millisecond between two readings, on a loaded machine, made the timer fire early).
 */
import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, it, mock } from "node:test";
import { InputDeadline } from "../src/triage/deadline.js";

describe("InputDeadline", () => {
  let now = 0;
  beforeEach(() => {
    now = 0;
    mock.method(performance, "now", () => now);
    mock.timers.enable({ apis: ["setTimeout"] });
  });
  afterEach(() => {
    mock.timers.reset();
    mock.restoreAll();
  });
  /** Both clocks on by `ms`. */
  const tick = (ms: number): void => {
    now += ms;
    mock.timers.tick(ms);
  };

  it("gives the input up once at its limit", () => {
    let expired = 0;
    new InputDeadline(1000, "a.jpg", () => expired++);
    tick(999);
    assert.equal(expired, 0);
    tick(1);
    assert.equal(expired, 1);
  });

  it("does not count a wait for a host slot", () => {
    let expired = 0;
    const deadline = new InputDeadline(1000, "a.jpg", () => expired++);
    const resume = deadline.pause();
    tick(5000);
    assert.equal(expired, 0);
    resume();
    tick(1000);
    assert.equal(expired, 1);
  });

  it("stays quiet when a wait ends after the input was done (a timer armed then kept the process alive)", () => {
    let expired = 0;
    const deadline = new InputDeadline(1000, "dump.zip", () => expired++);
    const resume = deadline.pause();
    deadline.dispose();
    resume();
    tick(10_000);
    assert.equal(expired, 0);
  });
});
