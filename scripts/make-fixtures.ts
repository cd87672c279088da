/**
 * Rebuilds the leak fixtures in fixtures/ from ../shared/scenarios: the original metadata
 * segments (EXIF with the Sony maker note, byte for byte) over the same picture re-encoded
 * blurred at low quality, so each fixture is small but keeps the photo's real pixel size.
 *
 *   node --import tsx scripts/make-fixtures.ts
 */
import { readFile, writeFile } from "node:fs/promises";
import sharp from "sharp";
import { graftMetadata } from "../test/support/exif-editor.js";

const SCENARIOS = new URL("../../shared/scenarios/", import.meta.url);
const FIXTURES = new URL("../fixtures/", import.meta.url);

for (const name of [
  "sony-d5503-prelaunch.jpg",
  "sony-d6503-released.jpg",
  "sony-d6503-unknown-firmware.jpg",
  "sony-d6999-unknown-model.jpg",
  "stripped.jpg",
]) {
  const original = await readFile(new URL(name, SCENARIOS));
  const pixels = await sharp(original).blur(12).jpeg({ quality: 20, mozjpeg: true }).toBuffer();
  const fixture = graftMetadata(original, pixels);
  await writeFile(new URL(name, FIXTURES), fixture);
  console.log(`${name}: ${String(original.length)} -> ${String(fixture.length)} bytes`);
}
