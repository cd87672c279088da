/**
 * Rebuilds the leak fixtures in fixtures/ from ../shared/scenarios: the original metadata
 * segments (EXIF with the Sony maker note, byte for byte) over the same picture re-encoded
 * blurred at low quality, so each fixture is small but keeps the photo's real pixel size.
 *
 *   node --import tsx scripts/make-fixtures.ts
 */
import { readFile, writeFile } from "node:fs/promises";
import sharp from "sharp";
import { walkJpeg } from "../src/extract/jpeg.js";

const SCENARIOS = new URL("../../shared/scenarios/", import.meta.url);
const FIXTURES = new URL("../fixtures/", import.meta.url);

const isAppSegment = (marker: number): boolean => marker >= 0xe0 && marker <= 0xef;

/** SOI + the APPn segments of `metadataFrom` + everything after the APPn segments of `pixelsFrom`. */
function spliceMetadata(metadataFrom: Uint8Array, pixelsFrom: Uint8Array): Buffer {
  const appSegments = walkJpeg(metadataFrom).segments.filter((s) => isAppSegment(s.marker));
  const metadata = appSegments.map((s) => metadataFrom.subarray(s.offset, s.offset + 4 + s.length));
  const firstNonApp = walkJpeg(pixelsFrom).segments.find((s) => !isAppSegment(s.marker));
  if (firstNonApp === undefined) throw new Error("re-encoded JPEG has no frame");
  return Buffer.concat([Buffer.from([0xff, 0xd8]), ...metadata, pixelsFrom.subarray(firstNonApp.offset)]);
}

for (const name of [
  "sony-d5503-prelaunch.jpg",
  "sony-d6503-released.jpg",
  "sony-d6503-unknown-firmware.jpg",
  "sony-d6999-unknown-model.jpg",
  "stripped.jpg",
]) {
  const original = await readFile(new URL(name, SCENARIOS));
  const pixels = await sharp(original).blur(12).jpeg({ quality: 20, mozjpeg: true }).toBuffer();
  const fixture = spliceMetadata(original, pixels);
  await writeFile(new URL(name, FIXTURES), fixture);
  console.log(`${name}: ${String(original.length)} -> ${String(fixture.length)} bytes`);
}
