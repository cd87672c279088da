/**
 * Worker threads must change nothing but speed: the same records as a single-threaded scan.
 */
import assert from "node:assert/strict";
import { link, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, it } from "node:test";
// Worker threads run the built JavaScript (npm test builds before testing), so this test does too.
const DIST_SCAN = new URL("../dist/scan.js", import.meta.url).href;
const DIST_POOL = new URL("../dist/parallel/pool.js", import.meta.url).href;
const { scan } = (await import(DIST_SCAN)) as typeof import("../src/scan.js");
import { FIXTURES, tempDir } from "./helpers.js";
import { buildZip } from "./support/zip-writer.js";

/** dump.zip (two photos) is made in the test: a worker that meets it hands it back to be expanded. */
const PHOTOS = ["sony-d5503-prelaunch.jpg", "sony-d6503-released.jpg", "stripped.jpg", "htc-desire.webp", "canon-s40-exif.png", "notes.txt", "dump.zip"];

/**
 * The paths as inputs that pause once the pool has been started (past `parallelAfter`), until a
 * worker says it is ready (`workersReady`, given as onWorkersReady), so that the rest reach a
 * ready worker.
 */
function pausedUntilReady(paths: readonly string[], parallelAfter: number): { inputs: () => AsyncGenerator<string>; workersReady: () => void } {
  let workersReady = (): void => undefined;
  const ready = new Promise<void>((resolve) => (workersReady = resolve));
  async function* inputs(): AsyncGenerator<string> {
    yield* paths.slice(0, parallelAfter + 1);
    await ready;
    yield* paths.slice(parallelAfter + 1);
  }
  return { inputs, workersReady: () => { workersReady(); } };
}

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
    // The first file after the pause goes to the ready worker, whatever the machine's speed: a
    // zip there is one a worker meets and hands back.
    const handedBack = parallelAfter + 1;
    for (let i = 0; i < count; i++) {
      const name = i === handedBack ? "dump.zip" : (PHOTOS[i % PHOTOS.length] ?? "");
      paths.push(join(root, `${String(i).padStart(5, "0")}-${name}`));
      await link(name === "dump.zip" ? zip : `${FIXTURES}${name}`, paths.at(-1) ?? "");
    }
    const zips = paths.filter((path) => path.endsWith("dump.zip")).length;
    const { inputs, workersReady } = pausedUntilReady(paths, parallelAfter);
    const single = await scan(paths, { workers: 0 });
    let inWorkers = 0;
    const parallel = await scan(inputs(), {
      workers: 2,
      parallelAfter,
      onWorkersReady: workersReady,
      onProgress: (progress) => (inWorkers = progress.inWorkers),
    });
    // How many more files the workers get depends on when their batches leave and how soon the
    // answers come back: a loaded machine gave them 288 of the 399 once, an idle one 110 to 350.
    assert.ok(inWorkers > 0, "no file was read by the workers");
    // Each zip gives its two entries' records instead of one of its own.
    assert.equal(single.records.length, count + zips);
    // The zip the worker met came back to be read here.
    const handedBackEntries = parallel.records.filter((record) => record.kind === "archive-entry" && record.archive?.container === paths[handedBack]);
    assert.equal(handedBackEntries.length, 2);
    assert.ok(single.records.some((record) => record.error?.code === "not-an-image"));
    assert.deepEqual(parallel.records, single.records);
    assert.deepEqual(parallel.summary.verdicts, single.summary.verdicts);
  });
});

describe("a scan expected to be large", () => {
  const photos = async (count: number): Promise<string[]> => {
    const root = await tempDir("exifhunt-early-");
    const paths: string[] = [];
    for (let i = 0; i < count; i++) {
      paths.push(join(root, `${String(i).padStart(4, "0")}.jpg`));
      await link(`${FIXTURES}sony-d6503-released.jpg`, paths.at(-1) ?? "");
    }
    return paths;
  };

  it("starts its workers with the first file, long before parallelAfter", async () => {
    const paths = await photos(400);
    // parallelAfter is past the scan's end: only the expectation (twice it) can start the workers.
    const { inputs, workersReady } = pausedUntilReady(paths, 0);
    let inWorkers = 0;
    let ready = false;
    const parallel = await scan(inputs(), {
      workers: 1,
      parallelAfter: 10_000,
      expectedFiles: () => 20_000,
      onWorkersReady: () => {
        ready = true;
        workersReady();
      },
      onProgress: (progress) => (inWorkers = progress.inWorkers),
    });
    assert.equal(ready, true);
    // The first file after the pause went to the worker (more depends on the machine's speed).
    assert.ok(inWorkers > 0, "no file was read by the worker");
    assert.deepEqual(parallel.records, (await scan(paths, { workers: 0 })).records);
  });
});

describe("the worker pool", () => {
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

  it("hands answers over when polled, with no event-loop turn, and has room only for what its workers can hold", { timeout: 30_000 }, async () => {
    const { TriagePool } = (await import(DIST_POOL)) as typeof import("../src/parallel/pool.js");
    const { DEFAULT_TIMEOUT_MS, DEFAULT_MAX_BYTES } = (await import(DIST_SCAN)) as typeof import("../src/scan.js");
    const { loadRegistry } = await import("../src/registry/index.js");
    const registry = await loadRegistry();
    const answered: string[] = [];
    let ready = (): void => undefined;
    const started = new Promise<void>((resolve) => (ready = resolve));
    const pool = new TriagePool<string>(1, { layers: registry.layers, deep: false, maxBytes: DEFAULT_MAX_BYTES, timeoutMs: DEFAULT_TIMEOUT_MS }, (results) => {
      for (const { item } of results) answered.push(item);
    }, () => {
      ready();
    });
    try {
      const roomBeforeReady = pool.hasRoom;
      assert.equal(roomBeforeReady, false, "no room before a worker is ready");
      await started;
      const capacity = TriagePool.capacityFor(1);
      let submitted = 0;
      while (pool.hasRoom) pool.submit({ path: `${FIXTURES}sony-d6503-released.jpg`, explicit: true }, `file ${String(submitted++)}`);
      assert.equal(submitted, capacity);
      // This loop never awaits: only poll() can deliver the answers while it runs.
      const deadline = Date.now() + 20_000;
      while (answered.length < submitted && Date.now() < deadline) pool.poll();
      assert.equal(answered.length, submitted);
      assert.deepEqual([...answered].sort(), Array.from({ length: submitted }, (_, i) => `file ${String(i)}`).sort());
      assert.equal(pool.hasRoom, true);
    } finally {
      await pool.close();
    }
  });
});

describe("a scan with workers", () => {
  it("reads files in its own thread too while the workers hold all they can", { timeout: 60_000 }, async () => {
    const root = await tempDir("exifhunt-sharing-");
    const parallelAfter = 20;
    const paths: string[] = [];
    for (let i = 0; i < 3000; i++) {
      paths.push(join(root, `${String(i).padStart(5, "0")}.jpg`));
      await link(`${FIXTURES}${i % 2 === 0 ? "sony-d6503-released.jpg" : "stripped.jpg"}`, paths.at(-1) ?? "");
    }
    const { inputs, workersReady } = pausedUntilReady(paths, parallelAfter);
    let inWorkers = 0;
    const { records } = await scan(inputs(), { workers: 1, parallelAfter, onWorkersReady: workersReady, onProgress: (progress) => (inWorkers = progress.inWorkers) });
    assert.equal(records.length, paths.length);
    // One worker holds at most two batches at a time: the scan's thread read on meanwhile.
    assert.ok(inWorkers > 0, "no file was read by the worker");
    const inThread = records.length - inWorkers;
    assert.ok(inThread > parallelAfter + 1, `only ${String(inThread)} files were read in the scan's own thread`);
  });
});

describe("a worker's records", () => {
  const DIST_EVENTS = new URL("../dist/events.js", import.meta.url).href;
  const DIST_REPORT = new URL("../dist/report/index.js", import.meta.url).href;

  it("come as JSON text that NDJSON writes unparsed, line for line what one thread writes", { timeout: 60_000 }, async () => {
    const { scanStream } = (await import(DIST_SCAN)) as typeof import("../src/scan.js");
    const { RecordText, recordHead } = (await import(DIST_EVENTS)) as typeof import("../src/events.js");
    const { reporters } = (await import(DIST_REPORT)) as typeof import("../src/report/index.js");
    const root = await tempDir("exifhunt-record-text-");
    const parallelAfter = 20;
    const names = ["sony-d5503-prelaunch.jpg", "sony-d6503-released.jpg", "stripped.jpg", "notes.txt"];
    const paths: string[] = [];
    for (let i = 0; i < 600; i++) {
      paths.push(join(root, `${String(i).padStart(4, "0")}-${names[i % names.length] ?? ""}`));
      await link(`${FIXTURES}${names[i % names.length] ?? ""}`, paths.at(-1) ?? "");
    }
    const ndjson = async (events: AsyncIterable<import("../src/events.js").ScanEvent>, seen: (event: import("../src/events.js").RecordEvent) => void): Promise<string[]> => {
      let text = "";
      const reporter = reporters.ndjson({ write: (chunk) => void (text += chunk) }, {});
      for await (const event of events) {
        if (event.type !== "record") continue;
        seen(event);
        const written = reporter.record(event);
        if (written !== undefined) await written;
      }
      return text.split("\n").filter((line) => line !== "").sort();
    };
    const single = await ndjson(scanStream(paths, { workers: 0 }), () => undefined);
    const { inputs, workersReady } = pausedUntilReady(paths, parallelAfter);
    const asText: InstanceType<typeof RecordText>[] = [];
    const parallel = await ndjson(scanStream(inputs(), { workers: 1, parallelAfter, onWorkersReady: workersReady }), (event) => {
      if (event instanceof RecordText) asText.push(event);
    });
    assert.ok(asText.length > 0, "no record came from the worker");
    // The head a record is counted and routed by says what its text says.
    const heads = asText.map((event) => ({ head: recordHead(event), json: event.json }));
    assert.deepEqual(parallel, single);
    for (const { head, json } of heads) {
      const record = JSON.parse(json) as import("../src/record.js").ScanRecord;
      assert.deepEqual(head, { source: record.source, verdict: record.verdict, error: record.error });
    }
    assert.ok(asText.some((event) => event.head.error?.code === "not-an-image"), "no error record came as text");
  });

  it("are parsed only when their record is read", async () => {
    const { RecordText, recordHead, recordJson, SummaryBuilder } = (await import(DIST_EVENTS)) as typeof import("../src/events.js");
    const { reporters } = (await import(DIST_REPORT)) as typeof import("../src/report/index.js");
    // Text that is not JSON: everything that stays on the head and the text works, only `record` fails.
    const event = new RecordText({ source: "a.jpg", verdict: "leak", error: null }, "{not json");
    const summary = new SummaryBuilder();
    summary.add(event);
    assert.equal(summary.finish("test", 0).verdicts.leak, 1);
    assert.equal(recordHead(event).source, "a.jpg");
    assert.equal(recordJson(event), "{not json");
    let text = "";
    await reporters.ndjson({ write: (chunk) => void (text += chunk) }, {}).record(event);
    assert.equal(text, "{not json\n");
    assert.throws(() => event.record, SyntaxError);
    const good = new RecordText({ source: "b.jpg", verdict: "known", error: null }, '{"source":"b.jpg","verdict":"known"}');
    assert.equal(good.record, good.record, "parsed once");
    assert.deepEqual(good.record, { source: "b.jpg", verdict: "known" });
    assert.equal(JSON.stringify(good), JSON.stringify({ type: "record", record: { source: "b.jpg", verdict: "known" } }));
  });
});
