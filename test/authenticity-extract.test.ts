/**
 * Extraction of the authenticity evidence: quantization tables and their fingerprint, maker-note
 * formats and Sony's own date and size, XMP history, GPS time.
 */
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { describe, it } from "node:test";
import sharp from "sharp";
import { extractSample } from "../src/extract/index.js";
import { walkJpeg } from "../src/extract/jpeg.js";
import { makerNoteFormat, readMakerNote } from "../src/extract/makernote.js";
import { ijgQuality, knownTables, quantizationFingerprint, readQuantizationTables, type QuantizationTable } from "../src/extract/quantization.js";
import { FIXTURES, SHARED, sharedSkip } from "./helpers.js";

async function jpegAt(quality: number): Promise<Buffer> {
  return sharp({ create: { width: 32, height: 32, channels: 3, background: "#7a5" } }).jpeg({ quality }).toBuffer();
}

function tablesOf(jpeg: Uint8Array): QuantizationTable[] {
  return readQuantizationTables(jpeg, walkJpeg(jpeg));
}

/** SOI + DQT segments holding the given tables (grouped as asked) + EOI. */
function jpegWithDqt(groups: readonly (readonly QuantizationTable[])[]): Buffer {
  const segments = groups.map((tables) => {
    const body = Buffer.concat(tables.map((t) => Buffer.from([(t.precision << 4) | t.id, ...t.values])));
    return Buffer.concat([Buffer.from([0xff, 0xdb, (body.length + 2) >> 8, (body.length + 2) & 0xff]), body]);
  });
  return Buffer.concat([Buffer.from([0xff, 0xd8]), ...segments, Buffer.from([0xff, 0xd9])]);
}

describe("quantization tables", () => {
  it("recognises libjpeg's standard tables at the quality libjpeg-turbo (via sharp) used", async () => {
    for (const quality of [30, 50, 75, 90, 97]) {
      assert.equal(ijgQuality(tablesOf(await jpegAt(quality))), quality);
    }
  });

  it("fingerprints the tables, not how they are split over DQT segments", async () => {
    const tables = tablesOf(await jpegAt(90));
    assert.equal(tables.length, 2);
    const together = quantizationFingerprint(tablesOf(jpegWithDqt([tables])));
    const apart = quantizationFingerprint(tablesOf(jpegWithDqt([[tables[0] as QuantizationTable], [tables[1] as QuantizationTable]])));
    assert.match(together ?? "", /^[0-9a-f]{16}$/);
    assert.equal(together, apart);
    assert.notEqual(together, quantizationFingerprint(tablesOf(await jpegAt(91))));
    assert.equal(quantizationFingerprint([]), null);
  });

  it("names Adobe's tables from files Adobe software saved", { skip: sharedSkip }, async () => {
    const bytes = await readFile(`${SHARED}corpus/cameras/Photoshop (2).jpg`);
    const tables = tablesOf(bytes);
    assert.deepEqual(knownTables(tables, quantizationFingerprint(tables)), { encoder: "Adobe Photoshop quality 12", family: "adobe" });
  });
});

describe("maker notes", () => {
  it("tells formats by their first bytes, and leaves header-less notes it cannot tell alone", () => {
    const ascii = (text: string): Uint8Array => Buffer.from(`${text}\0\0\0\0\0\0\0\0`, "latin1");
    assert.equal(makerNoteFormat(ascii("SONY MOBILE")), "sony");
    assert.equal(makerNoteFormat(ascii("SEMC MS")), "sony");
    assert.equal(makerNoteFormat(ascii("Apple iOS")), "apple");
    assert.equal(makerNoteFormat(ascii("Nikon")), "nikon");
    // Samsung phones: an IFD whose first entry is MakerNoteVersion "0100" (type 7, count 4), either byte order.
    assert.equal(makerNoteFormat(Buffer.from("07000100070004000000303130300200", "hex")), "samsung");
    assert.equal(makerNoteFormat(Buffer.from("00070001000700000004303130300002", "hex")), "samsung");
    // Nikon's header-less note: the same first entry with a binary version; Canon's: tag 1 of type SHORT.
    assert.equal(makerNoteFormat(Buffer.from("15000100070004000000000100000200", "hex")), null);
    assert.equal(makerNoteFormat(Buffer.from("1a00010003002e000000f00300000200", "hex")), null);
  });

  it("reads the date and size Sony's maker note records", async () => {
    const bytes = await readFile(`${FIXTURES}sony-d6503-released.jpg`);
    const extraction = await extractSample(bytes);
    assert.deepEqual(extraction?.evidence.makerNote, {
      format: "sony",
      signature: "SONY MOBILE",
      date: "2014-09-23T16:38:23",
      size: { width: 3264, height: 2448 },
    });
    assert.equal(readMakerNote(Buffer.from("not a tiff")), null);
  });
});

describe("evidence from a real Xperia Z2 photo", () => {
  it("reads every date, the XMP trail and the sizes", async () => {
    const extraction = await extractSample(await readFile(`${FIXTURES}sony-d6503-released.jpg`));
    assert.ok(extraction);
    const { evidence } = extraction;
    assert.deepEqual(evidence.dates, {
      dateTimeOriginal: "2014-09-23T16:38:23",
      createDate: "2014-09-23T16:38:23",
      modifyDate: "2014-09-23T16:38:23",
      makerNote: "2014-09-23T16:38:23",
      gps: null,
      xmpCreateDate: "2014-09-23T16:38:23",
      photoshopDateCreated: "2014-09-23T16:38:23",
      iptcCreated: "2014-09-23T16:38:23",
      xmpModifyDate: "2014-09-23T16:38:23",
      xmpMetadataDate: "2014-09-24T09:39:39+01:00",
    });
    assert.equal(evidence.creatorTool, "17.1.A.2.55_9_f300");
    assert.deepEqual(evidence.history.map((h) => [h.action, h.softwareAgent, h.changed]), [
      ["saved", "Adobe Photoshop Camera Raw 8.6", "/metadata"],
      ["saved", "Adobe Photoshop Camera Raw 8.6 (Macintosh)", "/metadata"],
    ]);
    assert.deepEqual(evidence.exifSize, { width: 3264, height: 2448 });
    assert.deepEqual(evidence.frame, { width: 3264, height: 2448 });
    assert.match(evidence.quantization?.fingerprint ?? "", /^[0-9a-f]{16}$/);
  });

  it("reads the GPS fix time as UTC", { skip: sharedSkip }, async () => {
    const extraction = await extractSample(await readFile(`${SHARED}corpus/phones/samsung-sm-n900a.jpg`));
    assert.equal(extraction?.evidence.dates.gps, "2014-07-12T23:15:54+00:00");
  });

  it("a JPEG without XMP or IPTC has no XMP evidence", async () => {
    const extraction = await extractSample(await jpegAt(80));
    assert.ok(extraction);
    assert.deepEqual(extraction.evidence.history, []);
    assert.equal(extraction.evidence.creatorTool, null);
    assert.equal(extraction.evidence.quantization?.known?.encoder, "libjpeg's standard tables at quality 80");
  });
});
