/**
 * Every format × every source, as file-type's tests loop over fixtures × (file, buffer, stream):
 * each format's fixture, read from a file, from memory and from a URL on a loopback server, gives
 * its format and its camera's fields, the same through each source. The table is a
 * Record<ImageFormat, …>, so a format added to the container table without a fixture does not
 * compile.
 */
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { after, before, describe, it } from "node:test";
import type { ImageFormat } from "../src/extract/index.js";
import type { CameraSample, ScanRecord, Verdict } from "../src/record.js";
import { loadRegistry, type DeviceRegistry } from "../src/registry/index.js";
import { scan, scanSources } from "../src/scan.js";
import { memorySource } from "../src/sources/index.js";
import { FIXTURES } from "./helpers.js";
import { startLoopbackServer, type LoopbackServer } from "./loopback-server.js";

type Expected = Pick<CameraSample, "make" | "model" | "captured" | "width" | "height">;

const NO_CAMERA: Expected = { make: null, model: null, captured: null, width: null, height: null };

/** Each format's fixture (provenance in fixtures/README.md) and what its record must say. */
const FORMAT_FIXTURES = {
  jpeg: { file: "sony-d5503-prelaunch.jpg", verdict: "leak", camera: { make: "Sony", model: "D5503", captured: "2013-10-22T14:05:11", width: 3264, height: 2448 } },
  png: { file: "canon-s40-exif.png", verdict: "unregistered", camera: { make: "Canon", model: "Canon PowerShot S40", captured: "2003-12-14T12:01:44", width: 2272, height: 1704 } },
  tiff: { file: "phase-one-p45-exif.tif", verdict: "unregistered", camera: { make: "Phase One", model: "P 45+", captured: "2010-09-30T16:06:06", width: 91, height: 103 } },
  webp: { file: "htc-desire.webp", verdict: "unregistered", camera: { make: "HTC", model: "HTC Desire", captured: "2011-05-06T09:59:48", width: 776, height: 909 } },
  gif: { file: "no-camera.gif", verdict: "no-metadata", camera: NO_CAMERA },
  bmp: { file: "no-camera.bmp", verdict: "no-metadata", camera: NO_CAMERA },
  avif: { file: "canon-eos-70d.avif", verdict: "unregistered", camera: { make: "Canon", model: "Canon EOS 70D", captured: "2015-10-11T14:41:44", width: 96, height: 64 } },
  heic: { file: "no-camera.heic", verdict: "no-metadata", camera: NO_CAMERA },
} satisfies Record<ImageFormat, { file: string; verdict: Verdict; camera: Expected }>;

const FORMATS = Object.keys(FORMAT_FIXTURES) as ImageFormat[];

let registry: DeviceRegistry;
let server: LoopbackServer;

before(async () => {
  registry = await loadRegistry();
  server = await startLoopbackServer({ roots: { fixtures: FIXTURES } });
});

after(async () => {
  await server.close();
});

/** The sources, each scanning every fixture at once: records by fixture file name. */
const SOURCES: Record<string, () => Promise<Map<string, ScanRecord>>> = {
  async file() {
    const { records } = await scan(FORMATS.map((format) => `${FIXTURES}${FORMAT_FIXTURES[format].file}`), { registry });
    return new Map(records.map((record) => [record.source.slice(FIXTURES.length), record]));
  },
  async memory() {
    const sources = await Promise.all(FORMATS.map(async (format) => {
      const { file } = FORMAT_FIXTURES[format];
      return memorySource(file, await readFile(`${FIXTURES}${file}`));
    }));
    const records = new Map<string, ScanRecord>();
    for await (const event of scanSources(sources, { registry })) if (event.type === "record") records.set(event.record.source, event.record);
    return records;
  },
  async url() {
    const prefix = `${server.origin}/files/fixtures/`;
    const { records } = await scan(FORMATS.map((format) => `${prefix}${FORMAT_FIXTURES[format].file}`), { registry });
    return new Map(records.map((record) => [record.source.slice(prefix.length), record]));
  },
};

describe("every format through every source", () => {
  for (const [source, read] of Object.entries(SOURCES)) {
    describe(`from ${source}`, () => {
      let records: Map<string, ScanRecord>;
      before(async () => {
        records = await read();
      });
      for (const format of FORMATS) {
        const { file, verdict, camera } = FORMAT_FIXTURES[format];
        it(`${format}: ${file}`, () => {
          const record = records.get(file);
          assert.ok(record !== undefined, `a record for ${file}`);
          assert.equal(record.error, null);
          assert.equal(record.kind, source === "url" ? "url" : "file");
          assert.equal(record.format, format);
          assert.ok(record.camera !== null);
          const { make, model, captured, width, height } = record.camera;
          assert.deepEqual({ make, model, captured, width, height }, camera);
          assert.equal(record.verdict, verdict);
          assert.equal(record.warnings, undefined, "an undamaged fixture has no warnings");
        });
      }
    });
  }
});
