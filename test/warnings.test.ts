/**
 * The warnings channel: a reader that recovers from damage says so in the record's `warnings`,
 * with a code from WARNING_CODES, and a record of an undamaged photo has no `warnings` key at all.
 * Each damaged input is built here from a fixture, the way the damage happens in the wild (a cut
 * upload, a writer that got an offset or a length wrong).
 */
import assert from "node:assert/strict";
import { readdir, readFile } from "node:fs/promises";
import { before, describe, it } from "node:test";
import { extractSample } from "../src/extract/index.js";
import { walkJpeg } from "../src/extract/jpeg.js";
import { openTiff, readIfd } from "../src/extract/tiff.js";
import { WARNING_CODES, type ScanRecord, type WarningCode } from "../src/record.js";
import { loadRegistry, type DeviceRegistry } from "../src/registry/index.js";
import { SummaryBuilder } from "../src/events.js";
import { reporters } from "../src/report/index.js";
import { scanSources } from "../src/scan.js";
import { memorySource } from "../src/sources/index.js";
import { tiffBlock } from "./exif-writer.js";
import { FIXTURES, ROOT } from "./helpers.js";

let registry: DeviceRegistry;
before(async () => {
  registry = await loadRegistry();
});

async function recordOf(bytes: Uint8Array, options: { maxBytes?: number } = {}): Promise<ScanRecord> {
  for await (const event of scanSources([memorySource("damaged", bytes)], { registry, ...options })) {
    if (event.type === "record") return event.record;
  }
  throw new Error("no record");
}

function codes(record: ScanRecord): WarningCode[] | undefined {
  return record.warnings?.map((w) => w.code);
}

/** A JPEG segment: marker, length (payload + 2), payload. */
function segment(marker: number, payload: Uint8Array, length = payload.length + 2): Buffer {
  const head = Buffer.alloc(4);
  head.writeUInt16BE(0xff00 | marker, 0);
  head.writeUInt16BE(length, 2);
  return Buffer.concat([head, payload]);
}

/** A fixture JPEG with `segments` put right after SOI. */
function jpegWith(jpeg: Uint8Array, ...segments: Uint8Array[]): Buffer {
  return Buffer.concat([jpeg.subarray(0, 2), ...segments, jpeg.subarray(2)]);
}

function exifSegment(tiff: Uint8Array): Buffer {
  return segment(0xe1, Buffer.concat([Buffer.from("Exif\0\0", "latin1"), tiff]));
}

/** Where an IFD0 entry's 12 bytes start in a little-endian TIFF block. */
function entryOffset(tiff: Uint8Array, tag: number): number {
  const opened = openTiff(tiff);
  const entry = opened === null ? undefined : readIfd(opened, opened.firstIfd).find((e) => e.tag === tag);
  assert.ok(entry !== undefined, `tag ${String(tag)} is in the block`);
  return entry.entryOffset;
}

describe("warnings", () => {
  let stripped: Buffer;
  before(async () => {
    stripped = await readFile(`${FIXTURES}stripped.jpg`);
  });

  it("documents every code in the README, and nothing else", async () => {
    const readme = await readFile(`${ROOT}README.md`, "utf8");
    const section = readme.slice(readme.indexOf("### Warning codes"));
    const documented = [...section.slice(0, section.indexOf("\n#", 5)).matchAll(/^\| `([a-z-]+)` \|/gm)].map((m) => m[1]);
    assert.deepEqual(documented.sort(), Object.keys(WARNING_CODES).sort());
  });

  it("leaves the key out of every fixture's record: none of them is damaged", async () => {
    const names = (await readdir(FIXTURES)).filter((name) => !name.endsWith(".txt") && !name.endsWith(".md"));
    assert.ok(names.length >= 10, "fixtures were read");
    for (const name of names) {
      const record = await recordOf(await readFile(`${FIXTURES}${name}`));
      assert.equal(record.error, null, name);
      assert.ok(!("warnings" in record), `${name}: ${JSON.stringify(record.warnings)}`);
      assert.ok(!JSON.stringify(record).includes('"warnings"'), name);
    }
  });

  it("truncated-ifd: an IFD0 that declares more entries than the block holds; the ones inside are read", async () => {
    const tiff = tiffBlock({ make: "Sony", model: "D5503", software: "14.2.A.0.204" });
    tiff.writeUInt16LE(40, 8);
    const record = await recordOf(jpegWith(stripped, exifSegment(tiff)));
    assert.deepEqual(codes(record), ["truncated-ifd"]);
    assert.match(record.warnings?.[0]?.message ?? "", /IFD0 at offset 8 declares 40 entries but the \d+-byte EXIF block holds \d+/);
    assert.equal(record.camera?.model, "D5503");
  });

  it("offset-out-of-range: a tag whose value points past the block reads as absent, and says so", async () => {
    const tiff = tiffBlock({ make: "Sony", model: "D5503", software: "14.2.A.0.204" });
    tiff.writeUInt32LE(60_000, entryOffset(tiff, 0x0110) + 8);
    const record = await recordOf(jpegWith(stripped, exifSegment(tiff)));
    assert.deepEqual(codes(record), ["offset-out-of-range"]);
    assert.match(record.warnings?.[0]?.message ?? "", /IFD0 tag 0x0110 points past the end/);
    assert.equal(record.camera?.model, null);
    assert.equal(record.camera.make, "Sony");
  });

  it("offset-out-of-range: an EXIF IFD pointer past the block", async () => {
    const tiff = tiffBlock({ make: "Sony", model: "D5503", dateTimeOriginal: "2013:10:22 14:05:11" });
    tiff.writeUInt32LE(0x00ffff00, entryOffset(tiff, 0x8769) + 8);
    const record = await recordOf(jpegWith(stripped, exifSegment(tiff)));
    assert.deepEqual(codes(record), ["offset-out-of-range"]);
    assert.match(record.warnings?.[0]?.message ?? "", /the EXIF IFD lies at offset 16776960, outside/);
    assert.equal(record.camera?.captured, null);
  });

  it("bad-segment-length: a segment length below 2, and one that leads off a marker", async () => {
    const below = await recordOf(jpegWith(stripped, segment(0xe5, new Uint8Array(0), 1)));
    assert.deepEqual(codes(below), ["bad-segment-length"]);
    assert.match(below.warnings?.[0]?.message ?? "", /FFE5 segment at byte 2 declares a length below 2/);
    // Says 8 payload bytes, holds 20 zeros: the walk lands on a zero, not on 0xFF.
    const long = await recordOf(jpegWith(stripped, segment(0xe5, new Uint8Array(20), 10)));
    assert.deepEqual(codes(long), ["bad-segment-length"]);
    assert.match(long.warnings?.[0]?.message ?? "", /no marker at byte 14/);
  });

  it("no-start-of-scan: a JPEG cut inside its header, and one that ends (EOI) before SOS; the EXIF still counts", async () => {
    const jpeg = await readFile(`${FIXTURES}sony-d5503-prelaunch.jpg`);
    const layout = walkJpeg(jpeg);
    const sos = layout.segments.find((s) => s.marker === 0xda);
    assert.ok(sos !== undefined);
    const cut = await recordOf(jpeg.subarray(0, sos.offset - 10));
    assert.deepEqual(codes(cut), ["no-start-of-scan"]);
    assert.match(cut.warnings?.[0]?.message ?? "", /the file ends at byte \d+ inside the FF[0-9A-F]{2} segment at byte \d+, before its image data \(SOS\)/);
    assert.equal(cut.camera?.model, "D5503");
    const ended = await recordOf(Buffer.concat([jpeg.subarray(0, sos.offset), Buffer.from([0xff, 0xd9])]));
    assert.deepEqual(codes(ended), ["no-start-of-scan"]);
    assert.match(ended.warnings?.[0]?.message ?? "", /EOI at byte \d+\) before its image data/);
  });

  it("no-start-of-scan is not said of a header the read limit cut: the limit is not damage", async () => {
    const jpeg = await readFile(`${FIXTURES}sony-d5503-prelaunch.jpg`);
    // An APP1 segment no reader claims, 60 KiB, then the real header: the limit ends inside it.
    const padded = jpegWith(jpeg, segment(0xe1, Buffer.alloc(60_000, 0x20)));
    const record = await recordOf(padded, { maxBytes: 40_000 });
    assert.equal(record.warnings, undefined, JSON.stringify(record.warnings));
  });

  it("truncated-xmp: a packet cut before </rdf:RDF>; a whole one says nothing", async () => {
    const header = "http://ns.adobe.com/xap/1.0/\0";
    const packet = '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmp:CreatorTool="Adobe Photoshop CC"/></rdf:RDF></x:xmpmeta>';
    const whole = await recordOf(jpegWith(stripped, segment(0xe1, Buffer.from(header + packet, "latin1"))));
    assert.equal(whole.warnings, undefined);
    const cut = await recordOf(jpegWith(stripped, segment(0xe1, Buffer.from(header + packet.slice(0, packet.indexOf("</rdf:RDF>")), "latin1"))));
    assert.deepEqual(codes(cut), ["truncated-xmp"]);
  });

  it("truncated-container: a PNG and a WebP cut inside a chunk, read as far as they go", async () => {
    const png = await readFile(`${FIXTURES}canon-s40-exif.png`);
    const cutPng = await recordOf(png.subarray(0, png.length - 100));
    assert.deepEqual(codes(cutPng), ["truncated-container"]);
    assert.match(cutPng.warnings?.[0]?.message ?? "", /the PNG's [A-Za-z]{4} chunk at byte \d+ runs past the end of the file/);
    assert.equal(cutPng.camera?.make, "Canon");
    const webp = await readFile(`${FIXTURES}htc-desire.webp`);
    const cutWebp = await recordOf(webp.subarray(0, webp.length - 100));
    // Its EXIF chunk comes last: the cut takes the values at the block's end too.
    assert.deepEqual(codes(cutWebp), ["truncated-container", "offset-out-of-range"]);
    assert.equal(cutWebp.camera?.make, "HTC");
  });

  it("truncated-container: a HEIF cut inside its image data, before the meta box a Samsung writes after it", async () => {
    const heic = await readFile(`${FIXTURES}no-camera.heic`);
    const ftyp = heic.subarray(0, heic.readUInt32BE(0));
    const mdat = Buffer.alloc(8 + 500);
    mdat.writeUInt32BE(2_000_000, 0);
    mdat.write("mdat", 4, "latin1");
    const record = await recordOf(Buffer.concat([ftyp, mdat]));
    assert.deepEqual(codes(record), ["truncated-container"]);
    assert.equal(record.warnings?.[0]?.message, `the HEIF's mdat box at byte ${String(ftyp.length)} runs past the end of the file: the boxes before it were read`);
    assert.equal(record.verdict, "no-metadata");
  });

  it("a TIFF cut by the read limit has no warnings, though its IFD points past what was read", async () => {
    const tiff = Buffer.alloc(256 * 1024);
    tiff.write("II*\0", 0, "latin1");
    tiff.writeUInt32LE(200 * 1024, 4);
    const limited = await recordOf(tiff, { maxBytes: 64 * 1024 });
    assert.equal(limited.warnings, undefined);
    // The same pointer past the end of a file read whole is damage.
    const damaged = await recordOf(tiff.subarray(0, 64 * 1024));
    assert.deepEqual(codes(damaged), ["offset-out-of-range"]);
  });

  it("returns warnings from the readers beside the result, with no state between calls", async () => {
    const tiff = tiffBlock({ make: "Sony", model: "D5503" });
    tiff.writeUInt16LE(40, 8);
    const damaged = jpegWith(stripped, exifSegment(tiff));
    const first = await extractSample(damaged);
    const clean = await extractSample(stripped);
    const again = await extractSample(damaged);
    assert.deepEqual(first?.warnings.map((w) => w.code), ["truncated-ifd"]);
    assert.deepEqual(clean?.warnings, []);
    assert.deepEqual(again?.warnings, first.warnings);
  });

  it("shows each warning under its row in the table, marked ~", async () => {
    const tiff = tiffBlock({ make: "Sony", model: "D5503" });
    tiff.writeUInt16LE(40, 8);
    const record = await recordOf(jpegWith(stripped, exifSegment(tiff)));
    let text = "";
    const table = reporters.table({ write: async (chunk) => void (text += chunk) }, {});
    const summary = new SummaryBuilder();
    const event = { type: "record", record } as const;
    summary.add(event);
    await table.begin();
    await table.record(event);
    await table.end(summary.finish("test", 0));
    assert.match(text, /\n {4}~ truncated-ifd: IFD0 at offset 8 declares 40 entries/);
  });
});
