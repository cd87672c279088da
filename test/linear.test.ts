/**
 * Readers that take a stranger's bytes do work linear in their length. Each hostile input is built
 * here at two sizes; the work (steps counted by the reader, never time) at 2n is at most about
 * twice the work at n. A quadratic reader shows 4× and fails.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { WorkMeter } from "../src/extract/text-search.js";
import { JpegWalker, MAX_JPEG_SEGMENTS } from "../src/extract/jpeg.js";
import { readXmp } from "../src/extract/xmp.js";

/** The work at n and 2n copies of `unit` (between `head` and `tail`), asserting it at most doubles. */
function assertLinear(name: string, steps: (copies: number) => number, copies = 4000): void {
  const small = steps(copies);
  const large = steps(copies * 2);
  assert.ok(small > 0, `${name}: no work counted`);
  assert.ok(large <= small * 2.2, `${name}: ${small} steps at n, ${large} at 2n (${(large / small).toFixed(2)}×)`);
}

describe("the XMP reader is linear in its packet", () => {
  const hostile: Record<string, (copies: number) => string> = {
    "a property name repeated without =": (n) => `<rdf:Description${" xmp:CreateDate ".repeat(n)}/>`,
    "an element start repeated, never closed": (n) => "<xmp:CreateDate ".repeat(n),
    "an element start repeated, one > at the end": (n) => `${"<xmp:CreateDate ".repeat(n)}>`,
    "an element opened repeatedly, one close at the end": (n) => `${"<xmp:CreateDate> ".repeat(n)}</xmp:CreateDate>`,
    "an element opened repeatedly with a longer name in between": (n) => `<xmp:CreateDate>${"<xmp:CreateDateX> ".repeat(n)}`,
    "an attribute value never closed": (n) => ` xap:ModifyDate="${' xmp:ModifyDate="'.repeat(n)}`,
    "empty attribute values, then the one value": (n) => `${' xmp:CreatorTool=" "'.repeat(n)} xmp:CreatorTool="x"`,
    "content that is all unclosed tags": (n) => `<xmp:CreateDate>${"<".repeat(n * 8)}</xmp:CreateDate>`,
    "history items never closed": (n) => `<xmpMM:History>${"<rdf:li stEvt:action ".repeat(n)}</xmpMM:History>`,
    "history items, each a field name without =": (n) => `<xmpMM:History>${'<rdf:li stEvt:when stEvt:when stEvt:when="x"/>'.repeat(n)}</xmpMM:History>`,
    "a long prefix before each name": (n) => ` ${"a".repeat(64)}:CreateDate `.repeat(n),
  };
  for (const [name, build] of Object.entries(hostile)) {
    it(name, () => {
      assertLinear(name, (copies) => {
        const meter: WorkMeter = { steps: 0 };
        readXmp(build(copies), meter);
        return meter.steps;
      });
    });
  }

  it("still reads the property after the hostile part", () => {
    const packet = `${" xmp:CreateDate ".repeat(1000)}<xmp:CreateDate>2019-12-31T23:59:59</xmp:CreateDate>${"<xmp:CreateDate ".repeat(1000)}`;
    assert.equal(readXmp(packet).createDate, "2019-12-31T23:59:59");
  });
});

describe("the JPEG header walk is linear when the header never reaches SOS", () => {
  /** SOI then `fill` repeated to `bytes`: no SOS anywhere. */
  const header = (fill: Buffer, bytes: number): Buffer => Buffer.concat([Buffer.from([0xff, 0xd8]), Buffer.alloc(bytes - 2, fill)]);
  const hostile: Record<string, Buffer> = {
    "a run of 0xFF fill bytes": Buffer.from([0xff]),
    "empty APP5 segments": Buffer.from([0xff, 0xe5, 0x00, 0x02]),
    "restart markers (standalone)": Buffer.from([0xff, 0xd0]),
  };
  for (const [name, fill] of Object.entries(hostile)) {
    it(`${name}, walked on as the prefix grows 16 KiB a round`, () => {
      assertLinear(name, (size) => {
        const file = header(fill, size);
        const walker = new JpegWalker();
        for (let end = 64 * 1024; ; end += 16 * 1024) {
          const layout = walker.walk(file.subarray(0, Math.min(end, file.length)));
          assert.equal(layout.headerEnd, null);
          if (end >= file.length) break;
        }
        return walker.steps;
      }, 256 * 1024);
    });
  }

  it("keeps at most MAX_JPEG_SEGMENTS segments, whatever the header holds", () => {
    const walker = new JpegWalker();
    const layout = walker.walk(header(Buffer.from([0xff, 0xe5, 0x00, 0x02]), 4 * 1024 * 1024));
    assert.equal(layout.segments.length, MAX_JPEG_SEGMENTS);
    assert.equal(walker.omitted, 1024 * 1024 - 1 - MAX_JPEG_SEGMENTS);
  });
});
