/**
 * npm run golden: scans ../shared/corpus and ../shared/scenarios with the built CLI and writes
 * test/golden/corpus.json and test/golden/corpus.csv, which test/golden.test.ts compares the
 * output against byte for byte. Run it only when the output is meant to change, and say why in
 * the commit that carries the new files.
 */
import { existsSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { GOLDEN_FILES, goldenScan, type GoldenFormat } from "../test/support/golden.js";

if (!existsSync(fileURLToPath(new URL("../../shared/corpus/expected.json", import.meta.url)))) {
  process.stderr.write("golden: ../shared is not present beside the project; nothing to scan\n");
  process.exit(2);
}
await mkdir(new URL("../test/golden/", import.meta.url), { recursive: true });
for (const format of Object.keys(GOLDEN_FILES) as GoldenFormat[]) {
  const text = await goldenScan(format);
  await writeFile(GOLDEN_FILES[format], text);
  process.stdout.write(`${fileURLToPath(GOLDEN_FILES[format])}: ${String(Buffer.byteLength(text))} bytes\n`);
}
