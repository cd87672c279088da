/**
 * The leak scenarios of ../shared/scenarios: every expected verdict and finding code.
 */
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { describe, it } from "node:test";
import type { ScanRecord } from "../src/record.js";
import { parseNdjson, runCli, SHARED, sharedSkip } from "./helpers.js";

interface Expectation {
  leak: boolean;
  codes: string[];
}

describe("leak scenarios", { skip: sharedSkip }, () => {
  it("gives every scenario its expected verdict and codes", async () => {
    const expected = JSON.parse(await readFile(`${SHARED}scenarios/expected.json`, "utf8")) as Record<string, Expectation>;
    const result = await runCli(["scan", `${SHARED}scenarios`, "-f", "ndjson"]);
    assert.equal(result.code, 0, result.stderr);
    const records = new Map(parseNdjson<ScanRecord>(result.stdout).map((r) => [r.source.split("/").at(-1) ?? "", r]));
    assert.equal(records.size, Object.keys(expected).length);
    for (const [name, expectation] of Object.entries(expected)) {
      const record = records.get(name);
      assert.ok(record, name);
      assert.equal(record.verdict === "leak", expectation.leak, `${name}: verdict ${record.verdict}`);
      const codes = record.findings.map((f) => f.code);
      for (const code of expectation.codes) assert.ok(codes.includes(code as never), `${name}: missing ${code} in ${codes.join(",")}`);
      for (const finding of record.findings) assert.ok(finding.message.length > 20, `${name}: ${finding.code} needs a sentence`);
    }
  });
});
