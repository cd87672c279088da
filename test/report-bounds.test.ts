/**
 * The report step (thumbnails, metadata dumps) is bounded like triage: what would make exifr
 * quadratic is never given to it. Hostile inputs are built here.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import sharp from "sharp";
import { dumpInput, dumpMetadata, MAX_DUMP_XMP_BYTES } from "../src/extract/dump.js";
import { walkJpeg } from "../src/extract/jpeg.js";
import { withExif } from "./exif-writer.js";

const XMP_HEADER = "http://ns.adobe.com/xap/1.0/\0";
const EXTENDED_XMP_HEADER = "http://ns.adobe.com/xmp/extension/\0";
const GUID = "0123456789ABCDEF0123456789ABCDEF";

function app1(payload: Buffer): Buffer {
  const head = Buffer.from([0xff, 0xe1, 0, 0]);
  head.writeUInt16BE(payload.length + 2, 2);
  return Buffer.concat([head, payload]);
}

/** An XMP packet of `<a:b>` repeated to about `bytes`: 90 s of exifr at 1 MiB. */
function quadraticXmp(bytes: number): Buffer {
  return Buffer.from(`<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF><rdf:Description>${"<a:b>".repeat(Math.floor(bytes / 5))}</rdf:Description></rdf:RDF></x:xmpmeta>`, "latin1");
}

/** A JPEG with Model D5503, a main XMP packet pointing at Extended XMP, and `extended` split over APP1 segments. */
async function jpegWithExtendedXmp(extended: Buffer): Promise<Buffer> {
  const base = withExif(await sharp({ create: { width: 16, height: 16, channels: 3, background: "#808080" } }).jpeg().toBuffer(), { make: "Sony", model: "D5503" });
  const main = `<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF><rdf:Description xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmlns:xmpNote="http://ns.adobe.com/xmp/note/" xmp:CreatorTool="Camera" xmpNote:HasExtendedXMP="${GUID}"/></rdf:RDF></x:xmpmeta>`;
  const segments = [app1(Buffer.from(XMP_HEADER + main, "latin1"))];
  for (let offset = 0; offset < extended.length; offset += 65000) {
    const head = Buffer.alloc(8);
    head.writeUInt32BE(extended.length, 0);
    head.writeUInt32BE(offset, 4);
    segments.push(app1(Buffer.concat([Buffer.from(EXTENDED_XMP_HEADER + GUID, "latin1"), head, extended.subarray(offset, offset + 65000)])));
  }
  const exifEnd = walkJpeg(base).segments[0];
  assert.ok(exifEnd !== undefined);
  const at = exifEnd.offset + 4 + exifEnd.length;
  return Buffer.concat([base.subarray(0, at), ...segments, base.subarray(at)]);
}

/** A little-endian TIFF file: IFD0 with Model and an XMP tag (700) holding `xmp`, then a 1×1 strip. */
function tiffWithXmp(xmp: Buffer): Buffer {
  const model = Buffer.from("D5503\0", "latin1");
  const entries = 2;
  const ifdSize = 2 + entries * 12 + 4;
  const modelAt = 8 + ifdSize;
  const xmpAt = modelAt + model.length;
  const tiff = Buffer.alloc(xmpAt + xmp.length);
  tiff.write("II*\0", 0, "latin1");
  tiff.writeUInt32LE(8, 4);
  tiff.writeUInt16LE(entries, 8);
  const entry = (index: number, tag: number, type: number, count: number, value: number): void => {
    const at = 10 + index * 12;
    tiff.writeUInt16LE(tag, at);
    tiff.writeUInt16LE(type, at + 2);
    tiff.writeUInt32LE(count, at + 4);
    tiff.writeUInt32LE(value, at + 8);
  };
  entry(0, 0x0110, 2, model.length, modelAt);
  entry(1, 0x02bc, 7, xmp.length, xmpAt);
  model.copy(tiff, modelAt);
  xmp.copy(tiff, xmpAt);
  return tiff;
}

describe("metadata dump bounds", () => {
  it("never gives exifr a JPEG's Extended XMP, and says it was left out", async () => {
    const jpeg = await jpegWithExtendedXmp(quadraticXmp(1024 * 1024));
    assert.ok(jpeg.length > 1024 * 1024);
    const input = await dumpInput(jpeg);
    assert.ok(input !== null);
    assert.ok(input.bytes.length < 4096, `exifr is given ${String(input.bytes.length)} bytes`);
    assert.equal(Buffer.from(input.bytes).indexOf(EXTENDED_XMP_HEADER, 0, "latin1"), -1);
    const tags = await dumpMetadata(jpeg);
    assert.equal(tags["ifd0:Model"], "D5503");
    assert.equal(tags["xmp:CreatorTool"], "Camera");
    assert.match(tags["exifhunt:extendedXmp"] ?? "", /^17 Extended XMP segments \(\d+ bytes\) not read$/);
  });

  it("gives exifr no XMP packet larger than 64 KiB (a TIFF's tag 700), and says so", async () => {
    const tiff = tiffWithXmp(quadraticXmp(1024 * 1024));
    const input = await dumpInput(tiff);
    assert.equal(input?.xmp, false);
    const tags = await dumpMetadata(tiff);
    assert.equal(tags["ifd0:Model"], "D5503");
    assert.match(tags["exifhunt:xmp"] ?? "", new RegExp(`not read \\(more than ${String(MAX_DUMP_XMP_BYTES)}\\)`));
    // Under the cap, the packet is read as before.
    assert.equal((await dumpInput(tiffWithXmp(quadraticXmp(1024))))?.xmp, true);
  });

  it("gives exifr an ordinary JPEG as it is", async () => {
    const jpeg = withExif(await sharp({ create: { width: 16, height: 16, channels: 3, background: "#808080" } }).jpeg().toBuffer(), { model: "D5503" });
    assert.equal((await dumpInput(jpeg))?.bytes, jpeg);
  });
});
