/**
 * Local JPEGs read a batch at a time (processBatchNow: every header of the batch read first, into
 * this thread's header regions, then each judged): the same records as the general way, file by
 * file, whatever the batch holds; every file closed; and the scan's order rules kept.
 */
import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, it } from "node:test";
import { FLAGGED, type ScanEvent } from "../src/events.js";
import { loadRegistry } from "../src/registry/index.js";
import { scanSourceBatches, scanSources } from "../src/scan.js";
import { fileSource } from "../src/sources/file.js";
import type { PhotoSource } from "../src/sources/index.js";
import { HEADER_BATCH, processBatchNow, processSource, type Context } from "../src/triage/index.js";
import { overflowState } from "../src/triage/header-slots.js";
import { FIXTURES, tempDir } from "./helpers.js";

const registry = await loadRegistry();

function context(deep = false): Context {
  return { registry, deep, maxBytes: 32 * 1024 * 1024, timeoutMs: 60_000, counter: { bytes: 0 } };
}

function openDescriptors(): number {
  return readdirSync("/proc/self/fd").length;
}

/** A JPEG segment: marker, length, payload. */
function segment(marker: number, payload: Uint8Array): Buffer {
  const head = Buffer.alloc(4);
  head.writeUInt16BE(0xff00 | marker, 0);
  head.writeUInt16BE(payload.length + 2, 2);
  return Buffer.concat([head, payload]);
}

/**
 * The batch's awkward members, beside the fixtures: a header longer than a header region (three
 * comment segments of 60 KiB before the EXIF: every byte of it is kept, so it outgrows 128 KiB),
 * a JPEG cut inside its EXIF (the header never reaches the pixels), and a path that is not there.
 */
async function awkwardFiles(): Promise<string[]> {
  const root = await tempDir("exifhunt-batch-");
  const leak = await readFile(`${FIXTURES}sony-d5503-prelaunch.jpg`);
  const comments = Array.from({ length: 3 }, (_, i) => segment(0xfe, Buffer.alloc(60 * 1024, 0x41 + i)));
  const long = join(root, "long-header.jpg");
  await writeFile(long, Buffer.concat([leak.subarray(0, 2), ...comments, leak.subarray(2)]));
  const cut = join(root, "cut.jpg");
  await writeFile(cut, leak.subarray(0, 200));
  return [long, cut, join(root, "missing.jpg")];
}

async function fixtureSources(): Promise<PhotoSource[]> {
  const fixtures = readdirSync(FIXTURES).filter((name) => name !== "README.md").map((name) => `${FIXTURES}${name}`);
  return [...fixtures, ...(await awkwardFiles())].map((path) => fileSource(path, true, false));
}

/** A batch's results once its deep passes are done, in order. */
async function settled(done: readonly (ScanEvent | Promise<ScanEvent> | null)[]): Promise<(ScanEvent | null)[]> {
  const events: (ScanEvent | null)[] = [];
  for (const event of done) events.push(event instanceof Promise ? await event : event);
  return events;
}

async function generalWay(source: PhotoSource, deep = false): Promise<ScanEvent> {
  const outcome = await processSource(source, context(deep));
  assert.notEqual(outcome.type, "archive");
  return outcome as ScanEvent;
}

describe("reading local JPEGs a batch at a time", () => {
  it("gives each JPEG the record the general way gives it, and leaves everything else to it", async () => {
    const sources = await fixtureSources();
    const byBatch: (ScanEvent | null)[] = [];
    for (let start = 0; start < sources.length; start += HEADER_BATCH) {
      const done = processBatchNow(sources.slice(start, start + HEADER_BATCH), context());
      byBatch.push(...(await settled(done)));
    }
    assert.equal(byBatch.length, sources.length);
    let judged = 0;
    for (const [index, source] of sources.entries()) {
      const event = byBatch[index] ?? null;
      const expected = await generalWay(source);
      if (event === null) {
        // Left to the general way: not a JPEG, not there, or a header that never ends.
        assert.ok(!source.id.endsWith(".jpg") || /(cut|missing)\.jpg$/.test(source.id), `${source.id} was not judged in its batch`);
        continue;
      }
      judged++;
      assert.deepEqual(event, expected, source.id);
    }
    // Every JPEG fixture and the long header: not a vacuous comparison.
    const jpegs = sources.filter((source) => source.id.endsWith(".jpg") && !/(cut|missing)\.jpg$/.test(source.id)).length;
    assert.equal(judged, jpegs);
    const long = byBatch[sources.findIndex((source) => source.id.endsWith("long-header.jpg"))];
    assert.ok(long?.type === "record" && long.record.camera?.model === "D5503", "the header longer than its region was read whole");
  });

  it("reads a header that outgrows its region into an overflow buffer, lent again to the next batch", async () => {
    const long = (await fixtureSources()).find((source) => source.id.endsWith("long-header.jpg"));
    assert.ok(long !== undefined);
    const first = await settled(processBatchNow([long], context()));
    const afterFirst = overflowState();
    // Nothing stays lent past its batch; the buffer is kept (the header is 180 KiB, past the 128 KiB region).
    assert.equal(afterFirst.lent, 0);
    assert.ok(afterFirst.spare >= 1 && afterFirst.keptBytes >= 180 * 1024, JSON.stringify(afterFirst));
    const second = await settled(processBatchNow([long, long], context()));
    const afterSecond = overflowState();
    assert.equal(afterSecond.lent, 0);
    // Two such headers in one batch: one buffer kept from before, one more; a third batch needs none new.
    assert.deepEqual(second, [first[0], first[0]]);
    await settled(processBatchNow([long, long], context()));
    assert.deepEqual(overflowState(), afterSecond);
    assert.ok(first[0]?.type === "record" && first[0].record.camera?.model === "D5503");
  });

  it("gives the same records in a batch as one at a time, whatever the batch's neighbours", async () => {
    const sources = (await fixtureSources()).filter((source) => source.id.endsWith(".jpg"));
    // The same files, reversed, in batches of one and of all: regions reused by other files.
    const alone = await settled(sources.map((source) => processBatchNow([source], context())[0] ?? null));
    const together = await settled(processBatchNow([...sources].reverse(), context()));
    assert.deepEqual(together.reverse(), alone);
  });

  it("closes every file it opens, a flagged photo's once its deep pass is done", async () => {
    const sources = await fixtureSources();
    const before = openDescriptors();
    const done = processBatchNow(sources.slice(0, HEADER_BATCH), context());
    const pending = done.filter((event) => event instanceof Promise);
    assert.ok(pending.length > 0, "no photo of the batch went to the deep pass");
    const events = await settled(done);
    assert.equal(openDescriptors(), before);
    for (const event of events) {
      if (event?.type === "record" && event.record.verdict !== "error" && event.record.sha256 === null) {
        assert.ok(!FLAGGED.has(event.record.verdict), `${event.record.source} is flagged but not hashed`);
      }
    }
    // --deep: every photo hashed from the file the batch opened, and closed after.
    const deep = await settled(processBatchNow(sources.slice(0, HEADER_BATCH), context(true)));
    assert.equal(openDescriptors(), before);
    for (const event of deep) if (event?.type === "record" && event.record.verdict !== "error") assert.match(event.record.sha256 ?? "", /^[0-9a-f]{64}$/);
  });

  it("takes at most HEADER_BATCH sources", async () => {
    const sources = await fixtureSources();
    const many = Array.from({ length: HEADER_BATCH + 1 }, (_, i) => sources[i % sources.length] as PhotoSource);
    assert.throws(() => processBatchNow(many, context()), RangeError);
  });

  it("leaves the scan's order as it was: the input order at concurrency 1, every record at 16", async () => {
    const sources = (await fixtureSources()).reverse();
    const ids = async (concurrency: number): Promise<string[]> => {
      const seen: string[] = [];
      for await (const event of scanSources(sources, { registry, concurrency, workers: 0 })) seen.push(event.type === "record" ? event.record.source : event.source);
      return seen;
    };
    const inOrder = await ids(1);
    assert.deepEqual(inOrder, sources.map((source) => source.id));
    // Batched, a file done at once overtakes one going the general way: the same records, in
    // completion order. A partial batch (fewer files than 16 left) is read too.
    const batched = await ids(16);
    assert.deepEqual([...batched].sort(), [...inOrder].sort());
  });

  it("yields the same events a batch at a time (scanSourceBatches), no batch empty, progress told per batch", async () => {
    const sources = await fixtureSources();
    const single: ScanEvent[] = [];
    for await (const event of scanSources(sources, { registry, workers: 0 })) single.push(event);
    const batches: ScanEvent[][] = [];
    const told: number[] = [];
    // At concurrency 1 each file completes on its own, so there are several batches.
    for await (const batch of scanSourceBatches(sources, { registry, workers: 0, concurrency: 1, onProgress: (progress) => told.push(progress.records + progress.skipped) })) batches.push(batch);
    assert.ok(batches.every((batch) => batch.length > 0));
    assert.ok(batches.length > 1, `${String(batches.length)} batch(es)`);
    // Progress before each batch is yielded counts it and every batch before it.
    let sofar = 0;
    assert.deepEqual(told, batches.map((batch) => (sofar += batch.length)));
    const key = (event: ScanEvent): string => JSON.stringify(event);
    assert.deepEqual(batches.flat().map(key).sort(), single.map(key).sort());
  });
});
