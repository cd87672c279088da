/**
 * Metadata is written by strangers: what reaches a terminal or a spreadsheet must not act there.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { ScanRecord } from "../src/record.js";
import { csvCell, reporters, type Sink } from "../src/report/index.js";
import { CSV_MAX_CELL } from "../src/report/csv.js";
import { stripControl } from "../src/report/text.js";
import { SummaryBuilder } from "../src/events.js";

function hostileRecord(model: string): ScanRecord {
  return {
    schema: 1,
    source: "evil.jpg",
    kind: "file",
    bytes: 10,
    format: "jpeg",
    sha256: null,
    camera: { make: "Sony", model, software: "=HYPERLINK(\"http://x\")", firmware: null, captured: null, width: null, height: null, megapixels: null, focalLength: null, focalLength35mm: null, lens: null },
    image: null,
    device: null,
    verdict: "unregistered",
    findings: [],
    error: null,
  };
}

async function render(format: "table" | "csv" | "ndjson", record: ScanRecord): Promise<string> {
  let text = "";
  const sink: Sink = { write: async (chunk) => void (text += chunk) };
  const reporter = reporters[format](sink, {});
  const summary = new SummaryBuilder();
  const event = { type: "record", record } as const;
  summary.add(event);
  await reporter.begin();
  await reporter.record(event);
  await reporter.end(summary.finish("test", 0));
  return text;
}

describe("output safety", () => {
  it("neutralises CSV cells a spreadsheet would run as formulas", () => {
    assert.equal(csvCell("=1+1"), "'=1+1");
    assert.equal(csvCell("+1"), "'+1");
    assert.equal(csvCell("-2"), "'-2");
    assert.equal(csvCell("@SUM(A1)"), "'@SUM(A1)");
    assert.equal(csvCell("\tx"), "'\tx");
    assert.equal(csvCell("a,b"), '"a,b"');
    assert.equal(csvCell('say "hi"'), '"say ""hi"""');
    assert.equal(csvCell("\rx"), "\"'\rx\"");
    assert.equal(csvCell(-2), "-2");
    assert.equal(csvCell(null), "");
  });

  it("keeps escape sequences out of the terminal: a Model cannot retitle it or move the cursor", async () => {
    const model = "D5503\u001b]0;pwned\u0007\u001b[2J\u009b31m\u202e";
    assert.equal(stripControl(model), "D5503\uFFFD]0;pwned\uFFFD\uFFFD[2J\uFFFD31m\uFFFD");
    const table = await render("table", hostileRecord(model));
    assert.ok(!table.includes("\u001b"), JSON.stringify(table));
    assert.ok(!table.includes("\u0007"));
    assert.ok(!table.includes("\u009b"));
  });

  it("cuts huge strings in CSV and the table with a marker, and keeps them whole in NDJSON", async () => {
    const huge = `D${"5".repeat(100_000)}`;
    const csv = await render("csv", hostileRecord(huge));
    assert.ok(csv.includes(`D${"5".repeat(CSV_MAX_CELL - 1)}… [${String(huge.length - CSV_MAX_CELL)} more characters cut]`));
    assert.ok(csv.length < 10_000, String(csv.length));
    const table = await render("table", hostileRecord(huge));
    assert.ok(table.length < 2_000 && table.includes("…"));
    const line = (await render("ndjson", hostileRecord(huge))).trimEnd();
    assert.equal((JSON.parse(line) as ScanRecord).camera?.model, huge);
  });

  it("writes the CSV row with the formula neutralised and NDJSON with the raw value, correctly escaped", async () => {
    const csv = await render("csv", hostileRecord("D5503"));
    assert.ok(csv.includes(`"'=HYPERLINK(""http://x"")"`), csv);
    const model = "D55\u001b]0;x\u0007\n03";
    const line = (await render("ndjson", hostileRecord(model))).trimEnd();
    assert.ok(!line.includes("\n"));
    assert.equal((JSON.parse(line) as ScanRecord).camera?.model, model);
  });
});
