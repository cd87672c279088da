/**
 * HEIC metadata by range: the ISO-BMFF walker over pieces, on files built here box by box (as
 * iPhones and Samsung phones lay them out) and on the shared corpus's phone photos.
 */
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, it } from "node:test";
import { detectFormat, extractSample, nextMetadataRange, unreadSegment, type BytePiece } from "../src/extract/index.js";
import { walkIsoBmff } from "../src/extract/isobmff.js";
import { FIXTURES, SHARED, sharedSkip } from "./helpers.js";

function u16(value: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(value);
  return b;
}

function u32(value: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(value);
  return b;
}

function box(type: string, ...payload: Buffer[]): Buffer {
  const body = Buffer.concat(payload);
  return Buffer.concat([u32(8 + body.length), Buffer.from(type, "latin1"), body]);
}

function fullBox(type: string, version: number, ...payload: Buffer[]): Buffer {
  return box(type, Buffer.from([version, 0, 0, 0]), ...payload);
}

/** A `meta` box naming item 1 a HEVC image and item 2 the Exif block at `exifOffset`. */
function meta(exifOffset: number, exifLength: number): Buffer {
  const infe = (id: number, type: string) => fullBox("infe", 2, u16(id), u16(0), Buffer.from(type, "latin1"), Buffer.from([0]));
  const iinf = fullBox("iinf", 0, u16(2), infe(1, "hvc1"), infe(2, "Exif"));
  const item = (id: number, offset: number, length: number) => Buffer.concat([u16(id), u16(0), u16(0), u16(1), u32(offset), u32(length)]);
  // version 1: offset and length 4 bytes each, no base offset or index; construction method 0.
  const iloc = fullBox("iloc", 1, Buffer.from([0x44, 0x00]), u16(2), item(1, 0, 0), item(2, exifOffset, exifLength));
  return fullBox("meta", 0, fullBox("hdlr", 0, u32(0), Buffer.from("pict", "latin1"), Buffer.alloc(13)), iinf, iloc);
}

/** The Exif item: a 4-byte offset to the TIFF header (6, past `Exif\0\0`), then the fixture's TIFF block. */
async function exifItem(): Promise<Buffer> {
  const jpeg = await readFile(join(FIXTURES, "sony-d5503-prelaunch.jpg"));
  const length = jpeg.readUInt16BE(4) - 2; // APP1 right after SOI
  return Buffer.concat([u32(6), jpeg.subarray(6, 6 + length)]);
}

const ftyp = box("ftyp", Buffer.from("heic", "latin1"), u32(0), Buffer.from("mif1heic", "latin1"));

/** Samsung's layout: ftyp, then mdat (image data, then the Exif item), then meta at the very end. */
async function samsungLike(imageBytes: number): Promise<Buffer> {
  const exif = await exifItem();
  const exifOffset = ftyp.length + 8 + imageBytes;
  const mdat = box("mdat", Buffer.alloc(imageBytes, 0x11), exif);
  return Buffer.concat([ftyp, mdat, meta(exifOffset, exif.length)]);
}

/** Reads ranges the way triage does: the prefix, then whatever the walk asks for. */
function readByRanges(file: Buffer, prefixLength: number): { prefix: Buffer; pieces: BytePiece[]; reads: [number, number][] } {
  const prefix = file.subarray(0, prefixLength);
  const pieces: BytePiece[] = [];
  const reads: [number, number][] = [];
  for (let range = nextMetadataRange(prefix, pieces, "heic", file.length); range !== null; range = nextMetadataRange(prefix, pieces, "heic", file.length)) {
    reads.push([range.offset, range.length]);
    pieces.push({ offset: range.offset, bytes: file.subarray(range.offset, Math.min(file.length, range.offset + range.length)) });
    assert.ok(reads.length < 8, "the walk ends");
  }
  return { prefix, pieces, reads };
}

describe("ISO-BMFF walk", () => {
  it("finds meta after mdat and the Exif item inside mdat, a range at a time", async () => {
    const file = await samsungLike(2_000_000);
    assert.equal(detectFormat(file), "heic");
    const { prefix, pieces, reads } = readByRanges(file, 65536);
    const metaOffset = ftyp.length + 8 + 2_000_000 + (await exifItem()).length;
    assert.deepEqual(reads[0], [metaOffset, file.length - metaOffset], "the header read past mdat holds all of meta");
    assert.equal(reads.length, 2, "then the Exif item");
    const extraction = await extractSample(prefix, { pieces, fileSize: file.length });
    assert.equal(extraction?.sample.model, "D5503");
    assert.equal(extraction.sample.software, "14.2.A.0.204");
    const read = prefix.length + pieces.reduce((sum, piece) => sum + piece.bytes.length, 0);
    assert.ok(read < 120_000, `read ${String(read)} of ${String(file.length)}`);
  });

  it("needs nothing past the prefix when meta and the Exif item come first (iPhone's layout)", async () => {
    const exif = await exifItem();
    const metaBox = meta(0, exif.length);
    const exifOffset = ftyp.length + metaBox.length + 8;
    const file = Buffer.concat([ftyp, meta(exifOffset, exif.length), box("mdat", exif, Buffer.alloc(500_000))]);
    const { prefix, pieces, reads } = readByRanges(file, 65536);
    assert.deepEqual(reads, []);
    assert.equal((await extractSample(prefix, { pieces, fileSize: file.length }))?.sample.model, "D5503");
  });

  it("says when the pieces do not hold the metadata, and what is malformed", async () => {
    const file = await samsungLike(100_000);
    await assert.rejects(extractSample(file.subarray(0, 65536), { pieces: [], fileSize: file.length }), /metadata lies at bytes \d+-\d+, which were not read/);
    const broken = Buffer.concat([ftyp, u32(4), Buffer.from("mdat", "latin1"), Buffer.alloc(100)]);
    assert.deepEqual(walkIsoBmff([{ offset: 0, bytes: broken }], broken.length), { kind: "corrupt", reason: `malformed box header at byte ${String(ftyp.length)}` });
    const noMeta = Buffer.concat([ftyp, box("mdat", Buffer.alloc(100))]);
    assert.deepEqual(walkIsoBmff([{ offset: 0, bytes: noMeta }], noMeta.length), { kind: "done", exif: null, cut: null });
  });
});

describe("JPEG segments no parser reads", () => {
  function jpeg(...segments: [number, number][]): Buffer {
    const parts = segments.map(([marker, size]) => Buffer.concat([Buffer.from([0xff, marker]), u16(size + 2), Buffer.alloc(size, 0x33)]));
    return Buffer.concat([Buffer.from([0xff, 0xd8]), ...parts, Buffer.from([0xff, 0xda, 0x00, 0x08])]);
  }

  it("are left out, whole, when they run past the prefix", () => {
    const file = jpeg([0xe1, 20_000], [0xe2, 60_000], [0xdb, 65]);
    assert.deepEqual(unreadSegment(file.subarray(0, 30_000), "jpeg"), { offset: 2 + 4 + 20_000, length: 4 + 60_000 });
  });

  it("are read when they hold metadata (APP1, APP13) or when the prefix ends in a header", () => {
    const file = jpeg([0xe1, 60_000], [0xed, 30_000], [0xdb, 65]);
    assert.equal(unreadSegment(file.subarray(0, 30_000), "jpeg"), null, "APP1");
    assert.equal(unreadSegment(file.subarray(0, 61_000), "jpeg"), null, "APP13");
    assert.equal(unreadSegment(file.subarray(0, 60_007), "jpeg"), null, "cut inside the next header");
    assert.equal(unreadSegment(file.subarray(0, 30_000), "png"), null);
  });
});

describe("HEIC from the shared corpus", { skip: sharedSkip }, () => {
  it("gives ExifTool's make and model for the phones, reading a fraction of each file", async () => {
    const expected = JSON.parse(await readFile(join(SHARED, "corpus/expected.json"), "utf8")) as Record<string, { Make?: string; Model?: string; Software?: string }>;
    for (const name of ["phones/apple-iphone-11-pro.heic", "phones/samsung-sm-g975f.heic"]) {
      const file = await readFile(join(SHARED, "corpus", name));
      const { prefix, pieces } = readByRanges(file, 65536);
      const sample = (await extractSample(prefix, { pieces, fileSize: file.length }))?.sample;
      assert.ok(sample, name);
      assert.equal(sample.make, expected[name]?.Make, name);
      assert.equal(sample.model, expected[name]?.Model, name);
      assert.equal(sample.software, expected[name]?.Software ?? null, name);
      const read = prefix.length + pieces.reduce((sum, piece) => sum + piece.bytes.length, 0);
      assert.ok(read < file.length / 10, `${name}: read ${String(read)} of ${String(file.length)}`);
    }
  });
});
