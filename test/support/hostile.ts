/**
 * Hostile inputs, built on the spot (no big binary fixtures): the attack classes of issue 12, for
 * the tests that hold each guarantee and for scripts/attacks.ts, which measures them end to end.
 * No node:test hooks here, so scripts can import it.
 */
import sharp from "sharp";
import { walkJpeg } from "../../src/extract/jpeg.js";

const XMP_HEADER = "http://ns.adobe.com/xap/1.0/\0";
export const EXTENDED_XMP_HEADER = "http://ns.adobe.com/xmp/extension/\0";
const GUID = "0123456789ABCDEF0123456789ABCDEF";

/** An APP1 segment holding `payload`. */
export function app1(payload: Buffer): Buffer {
  const head = Buffer.from([0xff, 0xe1, 0, 0]);
  head.writeUInt16BE(payload.length + 2, 2);
  return Buffer.concat([head, payload]);
}

/** `jpeg` with `segments` inserted after its leading APP segments (SOI, EXIF … stay first). */
export function withSegments(jpeg: Buffer, segments: Buffer[]): Buffer {
  const first = walkJpeg(jpeg).segments.find((segment) => segment.marker < 0xe0 || segment.marker > 0xef);
  const at = first?.offset ?? 2;
  return Buffer.concat([jpeg.subarray(0, at), ...segments, jpeg.subarray(at)]);
}

/** A small gray JPEG made by sharp. */
export function plainJpeg(options: { progressive?: boolean; subsampling?: string } = {}): Promise<Buffer> {
  return sharp({ create: { width: 16, height: 16, channels: 3, background: "#808080" } })
    .jpeg({ progressive: options.progressive ?? false, chromaSubsampling: options.subsampling ?? "4:4:4" })
    .toBuffer();
}

/**
 * A real 16×16 JPEG whose frame header (SOF) now declares `width`×`height`: a few hundred bytes.
 * Progressive, it makes libjpeg allocate every DCT coefficient of the declared image (1.6 GB at
 * 16383×16383 with 4:4:4) before it finds the data missing.
 */
export async function claimedJpeg(progressive: boolean, width = 16383, height = 16383, subsampling = "4:4:4"): Promise<Buffer> {
  const jpeg = await plainJpeg({ progressive, subsampling });
  const marker = progressive ? 0xc2 : 0xc0;
  const sof = jpeg.findIndex((byte, i) => byte === 0xff && jpeg[i + 1] === marker);
  if (sof < 0) throw new Error("sharp wrote no SOF");
  jpeg.writeUInt16BE(height, sof + 5);
  jpeg.writeUInt16BE(width, sof + 7);
  return jpeg;
}

/** An XMP packet of `<a:b>` repeated to about `bytes`: exifr's XMP parser is quadratic in it (90 s at 1 MiB). */
export function quadraticXmpForExifr(bytes: number): Buffer {
  return Buffer.from(`<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF><rdf:Description>${"<a:b>".repeat(Math.floor(bytes / 5))}</rdf:Description></rdf:RDF></x:xmpmeta>`, "latin1");
}

/** An XMP packet of ` xmp:CreateDate ` repeated (a property name, never `=`) to about `bytes`. */
export function repeatedPropertyXmp(bytes: number): Buffer {
  return Buffer.from(`<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF><rdf:Description${" xmp:CreateDate ".repeat(Math.floor(bytes / 16))}/></rdf:RDF></x:xmpmeta>`, "latin1");
}

/** The APP1 segment of a main XMP packet (at most 64 KiB, as one segment holds). */
export function xmpSegment(packet: Buffer): Buffer {
  return app1(Buffer.concat([Buffer.from(XMP_HEADER, "latin1"), packet.subarray(0, 65_000)]));
}

/** A main XMP packet pointing at Extended XMP, then `extended` split over APP1 segments (XMP Part 3, 1.1.3.1). */
export function extendedXmpSegments(extended: Buffer): Buffer[] {
  const main = `<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF><rdf:Description xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmlns:xmpNote="http://ns.adobe.com/xmp/note/" xmp:CreatorTool="Camera" xmpNote:HasExtendedXMP="${GUID}"/></rdf:RDF></x:xmpmeta>`;
  const segments = [xmpSegment(Buffer.from(main, "latin1"))];
  for (let offset = 0; offset < extended.length; offset += 65000) {
    const head = Buffer.alloc(8);
    head.writeUInt32BE(extended.length, 0);
    head.writeUInt32BE(offset, 4);
    segments.push(app1(Buffer.concat([Buffer.from(EXTENDED_XMP_HEADER + GUID, "latin1"), head, extended.subarray(offset, offset + 65000)])));
  }
  return segments;
}

/** A little-endian TIFF file: IFD0 with Model D5503 and an XMP tag (700) holding `xmp`. */
export function tiffWithXmp(xmp: Buffer): Buffer {
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

/** SOI, then `fill` repeated to `bytes` in all: a header that never reaches SOS. */
export function headerWithoutSos(fill: readonly number[], bytes: number): Buffer {
  return Buffer.concat([Buffer.from([0xff, 0xd8]), Buffer.alloc(bytes - 2, Buffer.from(fill))]);
}

/** 0xFF fill bytes (ISO/IEC 10918-1 B.1.1.2 allows any number before a marker). */
export const FILL_BYTES = [0xff] as const;
/** An empty APP5 segment: 4 bytes each. */
export const EMPTY_APP5 = [0xff, 0xe5, 0x00, 0x02] as const;
