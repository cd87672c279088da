/**
 * An input's time limit (triage/deadline.ts) under node:test's mock timers: the clock is advanced
 * by hand, so no test waits for real time to pass.
 */
import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, it, mock } from "node:test";
import { InputDeadline } from "../src/triage/deadline.js";

describe("InputDeadline", () => {
  beforeEach(() => {
    mock.timers.enable({ apis: ["setTimeout"] });
  });
  afterEach(() => {
    mock.timers.reset();
  });

  it("gives the input up once at its limit", () => {
    let expired = 0;
    new InputDeadline(1000, "a.jpg", () => expired++);
    mock.timers.tick(999);
    assert.equal(expired, 0);
    mock.timers.tick(1);
    assert.equal(expired, 1);
  });

  it("does not count a wait for a host slot", () => {
    let expired = 0;
    const deadline = new InputDeadline(1000, "a.jpg", () => expired++);
    const resume = deadline.pause();
    mock.timers.tick(5000);
    assert.equal(expired, 0);
    resume();
    mock.timers.tick(1000);
    assert.equal(expired, 1);
  });

  it("stays quiet when a wait ends after the input was done (a timer armed then kept the process alive)", () => {
    let expired = 0;
    const deadline = new InputDeadline(1000, "dump.zip", () => expired++);
    const resume = deadline.pause();
    deadline.dispose();
    resume();
    mock.timers.tick(10_000);
    assert.equal(expired, 0);
  });
});
