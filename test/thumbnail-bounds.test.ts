/**
 * Thumbnails decode within a memory bound whatever the header claims. The hostile inputs are built
 * here: a tiny real JPEG whose frame header is rewritten to 16383×16383 (a few hundred bytes that
 * make libjpeg allocate 1.6 GB of DCT coefficients when progressive), with and without an EXIF
 * thumbnail. Peak memory itself is measured by scripts/attacks.ts, not here.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import sharp, { type Metadata } from "sharp";
import {
  DECODE_BUDGET_BYTES,
  DecodeBudget,
  exifThumbnail,
  MAX_DECODE_BYTES,
  planThumbnail,
  thumbnailOf,
  ThumbnailTooLargeError,
} from "../src/extract/thumbnail.js";
import { claimedJpeg } from "./support/hostile.js";

/** An APP1 EXIF segment: IFD0 with Orientation, IFD1 pointing at `thumbnail` (little-endian TIFF). */
function exifApp1(thumbnail: Buffer, orientation: number): Buffer {
  const ifd0 = 8;
  const ifd0Size = 2 + 12 + 4;
  const ifd1 = ifd0 + ifd0Size;
  const ifd1Size = 2 + 2 * 12 + 4;
  const data = ifd1 + ifd1Size;
  const tiff = Buffer.alloc(data + thumbnail.length);
  tiff.write("II*\0", 0, "latin1");
  tiff.writeUInt32LE(ifd0, 4);
  tiff.writeUInt16LE(1, ifd0);
  tiff.writeUInt16LE(0x0112, ifd0 + 2); // Orientation, SHORT, 1
  tiff.writeUInt16LE(3, ifd0 + 4);
  tiff.writeUInt32LE(1, ifd0 + 6);
  tiff.writeUInt16LE(orientation, ifd0 + 10);
  tiff.writeUInt32LE(ifd1, ifd0 + 14);
  tiff.writeUInt16LE(2, ifd1);
  for (const [index, [tag, value]] of [[0x0201, data], [0x0202, thumbnail.length]].entries()) {
    const at = ifd1 + 2 + index * 12;
    tiff.writeUInt16LE(tag ?? 0, at);
    tiff.writeUInt16LE(4, at + 2); // LONG
    tiff.writeUInt32LE(1, at + 4);
    tiff.writeUInt32LE(value ?? 0, at + 8);
  }
  thumbnail.copy(tiff, data);
  const payload = Buffer.concat([Buffer.from("Exif\0\0", "latin1"), tiff]);
  const head = Buffer.from([0xff, 0xe1, 0, 0]);
  head.writeUInt16BE(payload.length + 2, 2);
  return Buffer.concat([head, payload]);
}

/** `jpeg` with an EXIF segment right after SOI. */
function withApp1(jpeg: Buffer, app1: Buffer): Buffer {
  return Buffer.concat([jpeg.subarray(0, 2), app1, jpeg.subarray(2)]);
}

async function dimensions(uri: string): Promise<[number, number]> {
  const metadata = await sharp(Buffer.from(uri.slice(uri.indexOf(",") + 1), "base64")).metadata();
  return [metadata.width, metadata.height];
}

describe("thumbnail memory bound", () => {
  it("does not decode a progressive JPEG that declares 16383×16383, and says why", async () => {
    const hostile = await claimedJpeg(true);
    assert.ok(hostile.length < 4096, `${String(hostile.length)} bytes`);
    const plan = planThumbnail(await sharp(hostile).metadata());
    assert.equal(plan.decode, "exif-thumbnail");
    assert.ok(plan.cost > 1.5e9, `estimated ${String(plan.cost)} bytes`);
    await assert.rejects(thumbnailOf(hostile), (error: unknown) => {
      assert.ok(error instanceof ThumbnailTooLargeError);
      assert.match(error.message, /progressive JPEG would take about 1536 MiB.*no EXIF thumbnail/);
      return true;
    });
  });

  it("uses the photo's EXIF thumbnail instead, oriented as the photo, and says so", async () => {
    const small = await sharp({ create: { width: 64, height: 48, channels: 3, background: "#c00000" } }).jpeg().toBuffer();
    const hostile = withApp1(await claimedJpeg(true), exifApp1(small, 6));
    assert.equal(exifThumbnail((await sharp(hostile).metadata()).exif)?.length, small.length);
    const thumbnail = await thumbnailOf(hostile);
    assert.deepEqual(await dimensions(thumbnail.uri), [48, 64]);
    assert.match(thumbnail.note ?? "", /own EXIF thumbnail, which may not match the image/);
  });

  it("holds the EXIF thumbnail to the same bound (it is as untrusted as the photo)", async () => {
    const hostile = withApp1(await claimedJpeg(true), exifApp1(await claimedJpeg(true), 1));
    await assert.rejects(thumbnailOf(hostile), ThumbnailTooLargeError);
  });

  it("decodes a baseline JPEG of the same size (shrink-on-load): genuine 200 MP photos keep their thumbnail", async () => {
    const baseline = await claimedJpeg(false, 16320, 12240, "4:2:0");
    const plan = planThumbnail(await sharp(baseline).metadata());
    assert.equal(plan.decode, "image");
    assert.ok(plan.cost < 16 * 2 ** 20, `estimated ${String(plan.cost)} bytes`);
    const thumbnail = await thumbnailOf(baseline);
    assert.equal(thumbnail.note, null);
    assert.deepEqual(await dimensions(thumbnail.uri), [240, 180]);
  });

  it("decodes an ordinary progressive photo (12 MP 4:2:0 costs 36 MiB of coefficients)", async () => {
    const plan = planThumbnail(await sharp(await claimedJpeg(true, 4000, 3000, "4:2:0")).metadata());
    assert.deepEqual(plan, { decode: "image", cost: 4000 * 3000 * 1.5 * 2 });
    assert.ok(plan.cost < MAX_DECODE_BYTES);
  });
});

describe("the cost of decoding HEIC and AVIF", () => {
  // libheif takes about 20 bytes per pixel whatever the output size (HEIF_BYTES_PER_PIXEL).
  const heif = (width: number, height: number): Metadata => ({ format: "heif", width, height, channels: 3, depth: "uchar", isProgressive: false }) as Metadata;

  it("decodes a 12 MP phone HEIC alone (it costs more than the whole budget) and refuses a 48 MP one", () => {
    const phone = planThumbnail(heif(4032, 3024));
    assert.equal(phone.decode, "image");
    assert.ok(phone.cost > DECODE_BUDGET_BYTES, "runs alone");
    const large = planThumbnail(heif(8064, 6048));
    assert.ok(large.decode === "exif-thumbnail");
    assert.match(large.reason, /heif image would take about 930 MiB, more than the 256 MiB/);
  });
});

describe("DecodeBudget", () => {
  it("never lets the decodes running at once hold more than the budget; a larger one runs alone", async () => {
    const budget = new DecodeBudget(100);
    let peak = 0;
    const releases: (() => void)[] = [];
    const started: number[] = [];
    const tasks = [60, 30, 50, 500, 10].map((cost) =>
      budget.run(cost, () => {
        peak = Math.max(peak, budget.inUse);
        started.push(cost);
        return new Promise<void>((resolve) => releases.push(resolve));
      }),
    );
    const step = async (): Promise<void> => {
      await new Promise((resolve) => setImmediate(resolve));
      releases.shift()?.();
      await new Promise((resolve) => setImmediate(resolve));
    };
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(started, [60, 30]); // 50 must wait: 60 + 30 + 50 > 100; and the queue keeps its order
    while (started.length < 5) await step();
    releases.forEach((release) => { release(); });
    await Promise.all(tasks);
    assert.ok(peak <= 100, `peak ${String(peak)}`);
    assert.deepEqual(started, [60, 30, 50, 500, 10]);
    assert.equal(budget.inUse, 0);
  });

  it("stops waiting when the signal aborts", async () => {
    const budget = new DecodeBudget(10);
    let release = (): void => undefined;
    const running = budget.run(10, () => new Promise<void>((resolve) => {
      release = resolve;
    }));
    const controller = new AbortController();
    const waiting = budget.run(10, () => Promise.resolve("ran"), controller.signal);
    controller.abort(new Error("stop"));
    await assert.rejects(waiting, /stop/);
    release();
    await running;
    assert.equal(budget.inUse, 0);
  });
});
