/**
 * exifhunt's reading of ../shared/corpus against ExifTool's (corpus/expected.json), and the
 * promises about the corpus: no genuine photo is a leak; every broken or fuzzed file named on the
 * command line gets exactly one record.
 */
import assert from "node:assert/strict";
import { readdir, readFile } from "node:fs/promises";
import { describe, it } from "node:test";
import { normalizeDateTime } from "../src/extract/dates.js";
import type { ScanRecord } from "../src/record.js";
import { scan } from "../src/scan.js";
import { parseNdjson, runCli, SHARED, sharedSkip } from "./helpers.js";

type Expected = Record<string, Record<string, string | number | undefined>>;

const CORPUS = `${SHARED}corpus/`;
const FIELDS = ["Make", "Model", "Software", "DateTimeOriginal"] as const;

/**
 * Values where exifhunt knowingly reads differently from ExifTool, and why. The test fails if this
 * list is wrong in either direction.
 */
const EXPLAINED: Record<string, string> = {
  // ExifTool -j prints the numeric-looking string "1.00" as the JSON number 1.0 (1.0 in expected.json);
  // the tag as written is "1.00", which is what exifhunt keeps.
  "cameras/Kodak PIXPRO FZ201.jpg Software": "ExifTool's JSON turns the string 1.00 into the number 1.0",
  // DateTimeOriginal is a blank placeholder; exifhunt falls back to CreateDate (2003:09:10 20:59:18),
  // as its capture-time rule says (DateTimeOriginal, else CreateDate). This minilab scanner's
  // CreateDate is when the film was scanned: the fallback reads what the file says.
  "cameras/FujiFilm SP-2500.jpg DateTimeOriginal": "blank DateTimeOriginal; exifhunt uses CreateDate",
};

function exiftoolValue(field: (typeof FIELDS)[number], value: string | number): string | null {
  const text = String(value).trim();
  // ExifTool prints unset-clock placeholders ("0000:00:00 00:00:00", blanks) as they are; both
  // tools agree there is no capture time, and exifhunt says so with null.
  if (field === "DateTimeOriginal") return normalizeDateTime(text)?.slice(0, 19) ?? null;
  return text === "" ? null : text;
}

function ourValue(record: ScanRecord, field: (typeof FIELDS)[number]): string | null {
  const camera = record.camera;
  if (camera === null) return null;
  switch (field) {
    case "Make":
      return camera.make;
    case "Model":
      return camera.model;
    case "Software":
      return camera.software;
    case "DateTimeOriginal":
      // ExifTool's DateTimeOriginal is the local time alone (OffsetTimeOriginal is another tag);
      // exifhunt appends the offset when the file records one. Compare the local time.
      return camera.captured?.slice(0, 19) ?? null;
  }
}

describe("agreement with ExifTool over ../shared/corpus", { skip: sharedSkip }, () => {
  it("reads Make, Model, Software and capture time as ExifTool does for at least 99% of its values", async () => {
    const expected = JSON.parse(await readFile(`${CORPUS}expected.json`, "utf8")) as Expected;
    const files = Object.keys(expected).filter((name) => /^(phones|cameras|formats)\//.test(name));
    const { records } = await scan(files.map((name) => `${CORPUS}${name}`));
    const bySource = new Map(records.map((r) => [r.source.slice(CORPUS.length), r]));
    let compared = 0;
    const disagreements: string[] = [];
    for (const name of files) {
      const record = bySource.get(name);
      assert.ok(record, `no record for ${name}`);
      for (const field of FIELDS) {
        const value = expected[name]?.[field];
        if (value === undefined) continue;
        compared++;
        const theirs = exiftoolValue(field, value);
        const ours = ourValue(record, field);
        if (theirs !== ours) disagreements.push(`${name} ${field}`);
      }
    }
    const agreement = (compared - disagreements.length) / compared;
    console.log(`# agreement with ExifTool: ${String(compared - disagreements.length)}/${String(compared)} = ${(agreement * 100).toFixed(2)}%`);
    assert.ok(compared > 300, `compared only ${String(compared)} values`);
    assert.deepEqual(disagreements.sort(), Object.keys(EXPLAINED).sort());
    assert.ok(agreement >= 0.99, `agreement ${String(agreement)}`);
  });

  it("reports no genuine photo of the corpus as a leak or suspicious", async () => {
    const result = await runCli(["scan", `${CORPUS}phones`, `${CORPUS}cameras`, `${CORPUS}formats`, "-f", "ndjson"]);
    assert.equal(result.code, 0, result.stderr);
    const records = parseNdjson<ScanRecord>(result.stdout);
    assert.ok(records.length >= 110);
    const flagged = records.filter((r) => r.verdict === "leak" || r.verdict === "suspicious");
    // The one exception, and what it says is true: the iPhone 6 photo was shot on 2014-09-16, after
    // the announcement (2014-09-09) and three days before the phone went on sale (2014-09-19), so it
    // is a pre-release unit (a reviewer's): captured-before-release, and nothing else.
    const iphone6 = flagged.filter((r) => r.source.endsWith("apple-iphone-6.jpg"));
    assert.deepEqual(iphone6.flatMap((r) => r.findings.map((f) => f.code)), ["captured-before-release"]);
    assert.deepEqual(flagged.filter((r) => !iphone6.includes(r)).map((r) => r.source), []);
    // The genuine Xperia Z2 photo is recognised, not just left unregistered.
    const z2 = records.find((r) => r.source.endsWith("sony-d6503-xperia-z2.jpg"));
    assert.equal(z2?.verdict, "known");
    assert.equal(z2.device?.name, "Xperia Z2");
    // A Sony camera, a Sony Ericsson phone: Sony's Make, but outside the registry's coverage.
    for (const suffix of ["Sony Cybershot (1).jpg", "Sony DSC-HX5V (2).jpg", "sonyericsson-c905c.jpg"]) {
      assert.equal(records.find((r) => r.source.endsWith(suffix))?.verdict, "unregistered", suffix);
    }
  });

  it("gives every broken and fuzzed file named on the command line exactly one record, and does not crash", async () => {
    const named: string[] = [];
    for (const folder of ["broken", "fuzzing"]) {
      for (const name of await readdir(`${CORPUS}${folder}`)) named.push(`${CORPUS}${folder}/${name}`);
    }
    const result = await runCli(["scan", ...named, "-f", "ndjson", "--deep"]);
    // Broken files named on the command line that cannot be read: exit 3, each said on stderr.
    assert.equal(result.code, 3);
    assert.doesNotMatch(result.stderr, /\n\s+at /, "no stack trace");
    const records = parseNdjson<ScanRecord>(result.stdout);
    assert.equal(records.length, named.length);
    assert.deepEqual(records.map((r) => r.source).sort(), [...named].sort());
    for (const record of records) {
      assert.ok(record.verdict !== "leak" && record.verdict !== "suspicious", record.source);
      if (record.verdict === "error") assert.ok(record.error?.message, record.source);
      else assert.match(record.sha256 ?? "", /^[0-9a-f]{64}$/);
    }
    console.log(`# broken+fuzzing: ${String(named.length)} files named, ${String(records.length)} records, ${String(records.filter((r) => r.verdict === "error").length)} error records`);
  });
});
