/**
 * Golden output: the CLI's JSON and CSV over ../shared/corpus and ../shared/scenarios must stay
 * byte for byte what test/golden/ holds, so that refactoring cannot change a record unnoticed.
 * Intentional output changes regenerate the files with `npm run golden`, and the commit says why.
 */
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { describe, it } from "node:test";
import { sharedSkip } from "./helpers.js";
import { GOLDEN_FILES, goldenScan, goldenUnits, type GoldenFormat } from "./support/golden.js";

/** The first few records (JSON) or lines (CSV) that differ, expected and actual side by side. */
function firstDifferences(format: GoldenFormat, expected: string, actual: string, most = 3): string {
  const want = goldenUnits(format, expected);
  const got = goldenUnits(format, actual);
  const shown: string[] = [];
  for (let index = 0; index < Math.max(want.length, got.length) && shown.length < most; index++) {
    if (want[index] === got[index]) continue;
    shown.push(`#${String(index)} expected:\n${want[index] ?? "(nothing)"}\n#${String(index)} actual:\n${got[index] ?? "(nothing)"}`);
  }
  if (shown.length === 0) {
    // Same records, different text: layout (indentation, a trailing newline).
    let at = 0;
    while (expected[at] === actual[at]) at++;
    return `the records are equal but the text differs from byte ${String(at)}: ${JSON.stringify(expected.slice(at, at + 40))} expected, ${JSON.stringify(actual.slice(at, at + 40))} actual`;
  }
  return `${String(want.length)} expected, ${String(got.length)} actual; first differences:\n${shown.join("\n\n")}`;
}

describe("golden output over ../shared", { skip: sharedSkip }, () => {
  for (const format of Object.keys(GOLDEN_FILES) as GoldenFormat[]) {
    it(`--format ${format} is byte for byte test/golden/corpus.${format}`, async () => {
      const [expected, actual] = await Promise.all([readFile(GOLDEN_FILES[format], "utf8"), goldenScan(format)]);
      if (actual !== expected) {
        assert.fail(`--format ${format} output changed (regenerate with npm run golden only if that is intended).\n${firstDifferences(format, expected, actual)}`);
      }
    });
  }
});
