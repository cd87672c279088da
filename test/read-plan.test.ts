/**
 * The read plan (src/triage/read-plan.ts) on JPEG headers that never reach SOS, built here: work
 * counted in steps at two sizes, reads that grow geometrically, and a time limit that holds for
 * local files too; and, on the shared corpus, the layout the plan walks is the one extraction uses.
 */
import assert from "node:assert/strict";
import { readdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, it } from "node:test";
import { scan } from "../src/scan.js";
import { memorySource } from "../src/sources/index.js";
import { readMetadataPrefix, readMetadataPrefixNow, TRIAGE_PREFIX_BYTES, type ReadPlanMeter } from "../src/triage/read-plan.js";
import { detectFormat } from "../src/extract/index.js";
import { JpegPrefixPlan, walkJpeg } from "../src/extract/jpeg.js";
import { openFile } from "../src/sources/file.js";
import { GrowingBytes } from "../src/util/growing-bytes.js";
import { EMPTY_APP5, FILL_BYTES, headerWithoutSos } from "./support/hostile.js";
import { SHARED, sharedSkip, tempDir } from "./helpers.js";

/** Reads the metadata prefix of `file` as triage does; the plan's steps and reads, and bytes read. */
async function plan(file: Buffer): Promise<ReadPlanMeter & { bytes: number }> {
  const opened = await memorySource("hostile.jpg", file).open();
  const first = await opened.read(0, TRIAGE_PREFIX_BYTES);
  const meter: ReadPlanMeter = { steps: 0, reads: 0 };
  const counter = { bytes: first.length };
  await readMetadataPrefix(opened, first, "jpeg", Number.MAX_SAFE_INTEGER, counter, undefined, meter);
  return { ...meter, bytes: counter.bytes };
}

describe("the read plan on a JPEG header that never reaches SOS", () => {
  for (const [name, fill] of [["a run of 0xFF", FILL_BYTES], ["empty APP5 segments", EMPTY_APP5]] as const) {
    it(`walks ${name} once (steps at 2n ≤ 2.2 × steps at n) in a logarithmic number of reads`, async () => {
      const small = await plan(headerWithoutSos(fill, 2 * 1024 * 1024));
      const large = await plan(headerWithoutSos(fill, 4 * 1024 * 1024));
      assert.ok(large.steps <= small.steps * 2.2, `${String(small.steps)} steps at n, ${String(large.steps)} at 2n`);
      // One read more per doubling (the read-ahead doubles each round): 509 Range requests for 8 MiB before.
      assert.ok(large.reads <= small.reads + 2, `${String(small.reads)} reads at n, ${String(large.reads)} at 2n`);
      assert.ok(small.reads <= 12, `${String(small.reads)} reads for 2 MiB`);
      // Nothing read twice, and at most the file.
      assert.equal(large.bytes, 4 * 1024 * 1024);
    });
  }

  it("stops at --max-bytes", async () => {
    const opened = await memorySource("hostile.jpg", headerWithoutSos(FILL_BYTES, 8 * 1024 * 1024)).open();
    const first = await opened.read(0, TRIAGE_PREFIX_BYTES);
    const counter = { bytes: first.length };
    const prefix = await readMetadataPrefix(opened, first, "jpeg", 1024 * 1024, counter);
    assert.equal(prefix.length, 1024 * 1024);
    assert.equal(counter.bytes, 1024 * 1024);
  });

  it("gives a local file the scan's time limit too: checked between reads, where no timer can fire", async () => {
    const dir = await tempDir("exifhunt-deadline-");
    const path = join(dir, "fill.jpg");
    await writeFile(path, headerWithoutSos(FILL_BYTES, 4 * 1024 * 1024));
    // A limit of 0 has passed by the first check: the header needs more than the first read.
    const { records } = await scan([path], { timeoutMs: 0, workers: 0 });
    assert.equal(records.length, 1);
    assert.equal(records[0]?.error?.code, "timeout");
    assert.match(records[0].error.message, /gave up after 0 s reading .*fill\.jpg/);
    // The same file within the limit: one record, no metadata, no error.
    const within = await scan([path], { workers: 0 });
    assert.equal(within.records[0]?.error, null);
  });
});

describe("the read plan's JPEG layout", () => {
  it("is what walkJpeg makes of the header read, so triage walks each header once", { skip: sharedSkip }, async () => {
    const folders = ["phones", "cameras", "broken"].map((folder) => join(SHARED, "corpus", folder));
    let compared = 0;
    let readOn = 0;
    let leftOut = 0;
    for (const folder of folders) {
      for (const name of await readdir(folder)) {
        const path = join(folder, name);
        const file = openFile(path);
        try {
          const prefix = new GrowingBytes(new Uint8Array(0));
          // As triage reads a local JPEG: a first read of 16 KiB, then on where the header runs on.
          prefix.commit(file.readInto(prefix.room(Math.min(16 * 1024, file.size)), 0));
          if (detectFormat(prefix.bytes) !== "jpeg") continue;
          const first = prefix.length;
          const counter = { bytes: first };
          const plan = new JpegPrefixPlan();
          const bytes = readMetadataPrefixNow(file, prefix, "jpeg", Number.MAX_SAFE_INTEGER, counter, undefined, plan);
          if (plan.layout === null) continue;
          assert.deepEqual(plan.layout, walkJpeg(bytes), name);
          compared++;
          if (counter.bytes > first) readOn++;
          if (counter.bytes > bytes.length) leftOut++;
        } finally {
          file.closeNow();
        }
      }
    }
    // The corpus has headers read in one go, headers read on, and headers with segments left out.
    assert.ok(compared >= 100, `${String(compared)} headers compared`);
    assert.ok(readOn >= 10, `${String(readOn)} headers read on past the first read`);
    assert.ok(leftOut >= 1, `${String(leftOut)} headers with a segment left out`);
  });
});
