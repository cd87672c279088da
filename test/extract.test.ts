import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { describe, it } from "node:test";
import { normalizeDateTime, normalizeIptcDateTime, normalizeOffset } from "../src/extract/dates.js";
import { detectFormat, extractSample, metadataExtent } from "../src/extract/index.js";
import { walkJpeg } from "../src/extract/jpeg.js";
import { readTiffTags } from "../src/extract/tiff-tags.js";
import { tiffBlock } from "./exif-writer.js";
import { FIXTURES } from "./helpers.js";

describe("capture times", () => {
  it("normalizes EXIF, ISO 8601 and IPTC forms", () => {
    assert.equal(normalizeDateTime("2013:10:22 14:05:11"), "2013-10-22T14:05:11");
    assert.equal(normalizeDateTime("2013:10:22 14:05:11", "+02:00"), "2013-10-22T14:05:11+02:00");
    assert.equal(normalizeDateTime("2018-07-29T19:54:47+10:00"), "2018-07-29T19:54:47+10:00");
    assert.equal(normalizeDateTime("2012-12-31T04:35:10Z"), "2012-12-31T04:35:10+00:00");
    assert.equal(normalizeDateTime("2018-01-12T21:19:13.25"), "2018-01-12T21:19:13");
    assert.equal(normalizeIptcDateTime("20191016", "190100+0000"), "2019-10-16T19:01:00+00:00");
    assert.equal(normalizeIptcDateTime("20090909", "170000"), "2009-09-09T17:00:00");
    assert.equal(normalizeIptcDateTime("20090909", null), "2009-09-09T00:00:00");
  });

  it("reads unset-clock placeholders and impossible dates as no date", () => {
    for (const text of ["0000:00:00 00:00:00", "    :  :     :  :  ", "2014:02:30 10:00:00", "2014:13:01 10:00:00", "garbage", "2014:01:01 25:00:00"]) {
      assert.equal(normalizeDateTime(text), null, JSON.stringify(text));
    }
  });

  it("accepts offsets in both EXIF spellings and rejects nonsense", () => {
    assert.equal(normalizeOffset("+0530"), "+05:30");
    assert.equal(normalizeOffset("-04:00"), "-04:00");
    assert.equal(normalizeOffset("+25:00"), null);
    assert.equal(normalizeOffset("   "), null);
  });
});

describe("strings as written", () => {
  it("cuts at the first NUL, as ExifTool does, and trims padding", () => {
    const tags = readTiffTags(tiffBlock({ make: "  Sony  ", model: "MAVICA\u00003ghx7y", software: "\u0000\u0000" }));
    assert.equal(tags.make, "Sony");
    assert.equal(tags.model, "MAVICA");
    assert.equal(tags.software, null);
  });
});

describe("containers", () => {
  it("recognises formats by content, not by name", () => {
    const ftyp = (brand: string) => Buffer.concat([Buffer.from([0, 0, 0, 24]), Buffer.from(`ftyp${brand}\0\0\0\0mif1${brand}`)]);
    assert.equal(detectFormat(Buffer.from([0xff, 0xd8, 0xff, 0xe1])), "jpeg");
    assert.equal(detectFormat(Buffer.from("II*\0\x08\0\0\0", "latin1")), "tiff");
    assert.equal(detectFormat(Buffer.from("MM\0*\0\0\0\x08", "latin1")), "tiff");
    assert.equal(detectFormat(Buffer.from("RIFF\0\0\0\0WEBPVP8X", "latin1")), "webp");
    assert.equal(detectFormat(ftyp("heic")), "heic");
    assert.equal(detectFormat(ftyp("avif")), "avif");
    assert.equal(detectFormat(Buffer.from("RIFF\0\0\0\0AVI LIST", "latin1")), null);
    assert.equal(detectFormat(Buffer.from("\0\0\0\x20ftypisom\0\0\x02\0", "latin1")), null);
    assert.equal(detectFormat(Buffer.from("These are notes")), null);
    assert.equal(detectFormat(Buffer.alloc(0)), null);
  });

  it("walks JPEG headers: segments, frame size, where the metadata ends", async () => {
    const bytes = await readFile(`${FIXTURES}sony-d5503-prelaunch.jpg`);
    const layout = walkJpeg(bytes);
    assert.deepEqual(layout.frame, { width: 3264, height: 2448 });
    assert.equal(layout.segments[0]?.marker, 0xe1);
    assert.ok(layout.headerEnd !== null && layout.headerEnd < 64 * 1024);
    // A prefix that stops inside APP1 asks for at least the rest of that segment.
    const app1 = layout.segments[0];
    assert.ok(app1);
    const cut = walkJpeg(bytes.subarray(0, 1000));
    assert.equal(cut.headerEnd, null);
    assert.ok(cut.needAtLeast >= app1.offset + 4 + app1.length);
    assert.ok(metadataExtent(bytes.subarray(0, 1000), "jpeg", bytes.length) > 1000);
    assert.equal(metadataExtent(bytes.subarray(0, 1000), "png", 5000), 5000);
  });

  it("extracts the seed case from the first 64 KiB alone", async () => {
    const bytes = await readFile(`${FIXTURES}sony-d5503-prelaunch.jpg`);
    const extraction = await extractSample(bytes.subarray(0, 64 * 1024));
    assert.ok(extraction);
    assert.deepEqual(extraction.sample, {
      make: "Sony",
      model: "D5503",
      software: "14.2.A.0.204",
      firmware: { vendor: "sony", build: "14.2.A.0.204", suffix: null },
      captured: "2013-10-22T14:05:11",
      width: 3264,
      height: 2448,
      megapixels: 8,
      focalLength: 4.9,
      focalLength35mm: null,
      lens: null,
    });
  });

  it("returns null for bytes that are not an image", async () => {
    assert.equal(await extractSample(Buffer.from("These are notes")), null);
  });
});
