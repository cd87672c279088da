/**
 * Worker threads must change nothing but speed: the same records as a single-threaded scan.
 */
import assert from "node:assert/strict";
import { link } from "node:fs/promises";
import { join } from "node:path";
import { describe, it } from "node:test";
// Worker threads run the built JavaScript (npm test builds before testing), so this test does too.
const DIST_SCAN = new URL("../dist/scan.js", import.meta.url).href;
const { PARALLEL_AFTER, scan } = (await import(DIST_SCAN)) as typeof import("../src/scan.js");
import { FIXTURES, tempDir } from "./helpers.js";

const PHOTOS = ["sony-d5503-prelaunch.jpg", "sony-d6503-released.jpg", "stripped.jpg", "htc-desire.webp", "canon-s40-exif.png", "notes.txt"];

describe("worker threads", () => {
  it("give the same records as one thread, with every file once", async () => {
    const root = await tempDir("exifhunt-parallel-");
    const count = PARALLEL_AFTER + 400;
    for (let i = 0; i < count; i++) {
      const name = PHOTOS[i % PHOTOS.length] ?? "";
      await link(`${FIXTURES}${name}`, join(root, `${String(i).padStart(4, "0")}-${name}`));
    }
    const single = await scan([root], { workers: 0 });
    const parallel = await scan([root], { workers: 2 });
    const notes = Math.ceil((count - 5) / PHOTOS.length);
    assert.equal(single.records.length, count - notes);
    assert.equal(single.summary.skipped, notes);
    assert.deepEqual(parallel.records, single.records);
    assert.equal(parallel.summary.skipped, single.summary.skipped);
    assert.deepEqual(parallel.summary.verdicts, single.summary.verdicts);
  });
});
