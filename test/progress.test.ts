import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { formatDuration, progressLine } from "../src/progress.js";
import { runCli } from "./helpers.js";

describe("progress", () => {
  it("shows a running count until the total is known, then a bar, percentage and ETA", () => {
    const progress = { records: 900, skipped: 100, bytesRead: 0, elapsedMs: 2000, inWorkers: 0 };
    assert.equal(progressLine(progress, null), "1000 files · 500 files/s");
    assert.equal(progressLine(progress, 4000), `${"█".repeat(6)}${"░".repeat(18)} 1000/4000 (25%) · 500 files/s · ETA 6s`);
  });

  it("formats durations for people", () => {
    assert.equal(formatDuration(59.4), "59s");
    assert.equal(formatDuration(61), "1m01s");
    assert.equal(formatDuration(3723), "1h02m");
    assert.equal(formatDuration(Number.NaN), "?");
  });

  it("stays silent on stderr when it is not a terminal", async () => {
    const result = await runCli(["scan", "fixtures", "-f", "ndjson"]);
    assert.equal(result.code, 0);
    assert.equal(result.stderr, "");
  });
});
