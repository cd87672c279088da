/**
 * A seeded mutation fuzzer: bit flips, byte overwrites, length-field smashes, insertions and
 * truncations of real photos (fixtures/), each scanned through the real pipeline. Every case must
 * give exactly one well-formed record, within the per-photo time limit, and memory must stay
 * bounded. FUZZ_CASES=20000 runs more; FUZZ_SEED picks another sequence.
 */
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { describe, it } from "node:test";
import { WARNING_CODES, type ScanRecord, type Verdict } from "../src/record.js";
import { loadRegistry } from "../src/registry/index.js";
import { scanSources } from "../src/scan.js";
import { memorySource } from "../src/sources/index.js";
import { FIXTURES } from "./helpers.js";

const CASES = Number(process.env["FUZZ_CASES"] ?? 2000);
const SEED = Number(process.env["FUZZ_SEED"] ?? 20131022);
const SEEDS = ["sony-d5503-prelaunch.jpg", "sony-d6503-released.jpg", "htc-desire.webp", "canon-s40-exif.png", "no-camera.heic", "sony-cybershot-camera.jpg"];
const VERDICTS = new Set<Verdict>(["leak", "suspicious", "known", "unregistered", "no-metadata", "error"]);
/** Mutations land in the metadata region, where the parsers work. */
const REGION = 64 * 1024;

/** mulberry32: a tiny seeded PRNG, so every failure is reproducible from its seed. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function mutate(original: Uint8Array, random: () => number): { bytes: Uint8Array; how: string } {
  const pick = (n: number) => Math.floor(random() * n);
  const bytes = Buffer.from(original);
  const region = Math.min(REGION, bytes.length);
  switch (pick(5)) {
    case 0: {
      const flips = 1 + pick(16);
      for (let i = 0; i < flips; i++) {
        const at = pick(region);
        bytes[at] = (bytes[at] ?? 0) ^ (1 << pick(8));
      }
      return { bytes, how: `${String(flips)} bit flips` };
    }
    case 1: {
      const at = pick(region);
      const run = 1 + pick(64);
      for (let i = at; i < Math.min(at + run, bytes.length); i++) bytes[i] = pick(256);
      return { bytes, how: `overwrite ${String(run)} bytes at ${String(at)}` };
    }
    case 2: {
      // Smash what may be a length or count field with an extreme value.
      const at = pick(region - 4);
      const value = [0x00, 0xff, 0x7f, 0x80][pick(4)] ?? 0xff;
      bytes.fill(value, at, at + 2 + pick(3));
      return { bytes, how: `smash 0x${value.toString(16)} at ${String(at)}` };
    }
    case 3: {
      const at = pick(region);
      const insert = Buffer.from(Array.from({ length: 1 + pick(32) }, () => pick(256)));
      return { bytes: Buffer.concat([bytes.subarray(0, at), insert, bytes.subarray(at)]), how: `insert ${String(insert.length)} at ${String(at)}` };
    }
    default: {
      const at = pick(region);
      return { bytes: bytes.subarray(0, at), how: `truncate at ${String(at)}` };
    }
  }
}

describe("mutation fuzzer", () => {
  it(`scans ${String(CASES)} mutants (seed ${String(SEED)}): one well-formed record each, no crash, no hang`, async () => {
    const originals = await Promise.all(SEEDS.map((name) => readFile(`${FIXTURES}${name}`)));
    const random = prng(SEED);
    const cases = new Map<string, string>();
    function* sources() {
      for (let i = 0; i < CASES; i++) {
        const index = Math.floor(random() * originals.length);
        const { bytes, how } = mutate(originals[index] ?? Buffer.alloc(0), random);
        const id = `case-${String(i)}-${SEEDS[index] ?? ""}`;
        cases.set(id, how);
        yield memorySource(id, bytes);
      }
    }
    const registry = await loadRegistry();
    const seen = new Set<string>();
    const counts: Record<string, number> = {};
    const rssBefore = process.memoryUsage().rss;
    let rssPeak = rssBefore;
    let warned = 0;
    for await (const event of scanSources(sources(), { registry, concurrency: 8, timeoutMs: 10_000, deep: true })) {
      if (event.type !== "record") assert.fail(`memory sources are explicit: ${event.source} was skipped`);
      const record: ScanRecord = event.record;
      const how = cases.get(record.source) ?? "";
      cases.delete(record.source);
      assert.ok(!seen.has(record.source), `two records for ${record.source}`);
      seen.add(record.source);
      assert.ok(VERDICTS.has(record.verdict), `${record.source} (${how})`);
      assert.equal(record.verdict === "error", record.error !== null, `${record.source} (${how})`);
      assert.notEqual(record.error?.code, "timeout", `${record.source} (${how}) hung`);
      JSON.parse(JSON.stringify(record));
      // Warnings, when there are any, come from the documented vocabulary and say something.
      assert.notDeepEqual(record.warnings, [], `${record.source}: an empty warnings list is left out`);
      for (const { code, message } of record.warnings ?? []) {
        assert.ok(code in WARNING_CODES && message.length > 0, `${record.source} (${how}): warning ${code}`);
        warned++;
      }
      counts[record.verdict] = (counts[record.verdict] ?? 0) + 1;
      rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
    }
    assert.equal(seen.size, CASES);
    // Mutants are damaged files: a reader that never said so would be staying silent.
    assert.ok(warned > CASES / 20, `only ${String(warned)} warnings over ${String(CASES)} mutants`);
    const growthMb = (rssPeak - rssBefore) / 2 ** 20;
    console.log(`# fuzz: ${String(CASES)} cases, verdicts ${JSON.stringify(counts)}, ${String(warned)} warnings, RSS growth ${growthMb.toFixed(0)} MiB`);
    assert.ok(growthMb < 512, `RSS grew by ${growthMb.toFixed(0)} MiB`);
  });
});
