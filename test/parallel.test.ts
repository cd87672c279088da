/**
 * Worker threads must change nothing but speed: the same records as a single-threaded scan.
 */
import assert from "node:assert/strict";
import { link, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, it } from "node:test";
// Worker threads run the built JavaScript (npm test builds before testing), so this test does too.
const DIST_SCAN = new URL("../dist/scan.js", import.meta.url).href;
const { scan } = (await import(DIST_SCAN)) as typeof import("../src/scan.js");
import { FIXTURES, tempDir } from "./helpers.js";
import { buildZip } from "./support/zip-writer.js";

/** dump.zip (two photos) is made in the test: a worker that meets it hands it back to be expanded. */
const PHOTOS = ["sony-d5503-prelaunch.jpg", "sony-d6503-released.jpg", "stripped.jpg", "htc-desire.webp", "canon-s40-exif.png", "notes.txt", "dump.zip"];

describe("worker threads", () => {
  it("give the same records as one thread, with every file once", async () => {
    const root = await tempDir("exifhunt-parallel-");
    // Workers start after the first few files (parallelAfter) rather than the default 8000: the
    // hand-over is the same at any threshold, and 450 files are read in a fraction of the time.
    const parallelAfter = 50;
    const count = parallelAfter + 400;
    const zip = join(root, "dump.zip");
    await writeFile(zip, buildZip(await Promise.all(["sony-d6999-unknown-model.jpg", "stripped.jpg"].map(async (name) => ({ name, data: await readFile(`${FIXTURES}${name}`) })))));
    const paths: string[] = [];
    for (let i = 0; i < count; i++) {
      const name = PHOTOS[i % PHOTOS.length] ?? "";
      paths.push(join(root, `${String(i).padStart(5, "0")}-${name}`));
      await link(name === "dump.zip" ? zip : `${FIXTURES}${name}`, paths.at(-1) ?? "");
    }
    const zips = paths.filter((path) => path.endsWith("dump.zip")).length;
    // The inputs pause once the pool has been started, until a worker says it is ready, so that
    // the rest reach ready workers.
    let workersReady = (): void => undefined;
    const ready = new Promise<void>((resolve) => (workersReady = resolve));
    async function* inputs(): AsyncGenerator<string> {
      yield* paths.slice(0, parallelAfter + 1);
      await ready;
      yield* paths.slice(parallelAfter + 1);
    }
    const single = await scan(paths, { workers: 0 });
    let inWorkers = 0;
    const parallel = await scan(inputs(), {
      workers: 2,
      parallelAfter,
      onWorkersReady: workersReady,
      onProgress: (progress) => (inWorkers = progress.inWorkers),
    });
    assert.ok(inWorkers >= 300, `only ${String(inWorkers)} files were read by workers`);
    // Each zip gives its two entries' records instead of one of its own.
    assert.equal(single.records.length, count + zips);
    // Zips past parallelAfter went to workers, and came back to be read here.
    const late = parallel.records.filter((record) => record.kind === "archive-entry" && Number(record.source.slice(root.length + 1, root.length + 6)) > parallelAfter + 100);
    assert.ok(late.length >= 2, `${String(late.length)} entries of late zips`);
    assert.ok(single.records.some((record) => record.error?.code === "not-an-image"));
    assert.deepEqual(parallel.records, single.records);
    assert.deepEqual(parallel.summary.verdicts, single.summary.verdicts);
  });
});

describe("the worker pool", () => {
  const DIST_POOL = new URL("../dist/parallel/pool.js", import.meta.url).href;

  it("turns the files of workers that cannot start into error records, each with its item, and gives up", { timeout: 30_000 }, async () => {
    const { TriagePool } = (await import(DIST_POOL)) as typeof import("../src/parallel/pool.js");
    const delivered: { item: string; code: string | undefined; message: string | undefined }[] = [];
    let allDelivered = (): void => undefined;
    const finished = new Promise<void>((resolve) => (allDelivered = resolve));
    // Layers that are not a list: the worker throws while it builds its registry, before it is ready.
    const pool = new TriagePool<string>(1, { layers: null as never, deep: false, maxBytes: 1024, timeoutMs: 1000 }, (results) => {
      for (const { item, result } of results) {
        const record = result.event.type === "record" ? result.event.record : null;
        delivered.push({ item, code: record?.error?.code, message: record?.error?.message });
      }
      if (delivered.length === 3) allDelivered();
    });
    for (const name of ["a.jpg", "b.jpg", "c.jpg"]) pool.submit({ path: `/nowhere/${name}`, explicit: true }, name);
    await finished;
    await pool.close();
    assert.equal(pool.ready, false);
    assert.deepEqual(delivered.map((entry) => entry.item).sort(), ["a.jpg", "b.jpg", "c.jpg"]);
    for (const entry of delivered) {
      assert.equal(entry.code, "read-failed");
      assert.match(entry.message ?? "", /the reader crashed on this file/);
    }
  });
});
