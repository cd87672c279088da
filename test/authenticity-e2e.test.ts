/**
 * The authenticity signals end to end: genuine phone photos raise no inconsistency, the
 * Photoshop-saved one is edited, and tampered variants of real photos — built here with a small
 * EXIF rewriter, not by hand — are caught with the right code and a sentence saying why.
 */
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import sharp from "sharp";
import { analyze } from "../src/analyze/index.js";
import { extractSample } from "../src/extract/index.js";
import type { Finding, ScanRecord } from "../src/record.js";
import { loadRegistry, type DeviceRegistry } from "../src/registry/index.js";
import { scan } from "../src/scan.js";
import { FIXTURES, parseNdjson, runCli, SHARED, sharedSkip } from "./helpers.js";
import { editExif, graftMetadata } from "./support/exif-editor.js";

let registry: DeviceRegistry;
let workdir: string;

before(async () => {
  registry = await loadRegistry();
  workdir = await mkdtemp(join(tmpdir(), "exifhunt-authenticity-"));
});

after(async () => {
  await rm(workdir, { recursive: true, force: true });
});

async function analyzeBytes(bytes: Uint8Array): Promise<ReturnType<typeof analyze>> {
  const extraction = await extractSample(bytes);
  assert.ok(extraction, "an image");
  return analyze(extraction.sample, registry, { evidence: extraction.evidence });
}

function withCode(findings: readonly Finding[], code: Finding["code"]): Finding[] {
  return findings.filter((finding) => finding.code === code);
}

const SIGNALS: readonly Finding["code"][] = ["date-inconsistent", "inconsistent-camera"];

describe("genuine phone photos", { skip: sharedSkip }, () => {
  let records: ScanRecord[] = [];
  before(async () => {
    records = (await scan([`${SHARED}corpus/phones`])).records;
  });

  it("raise no date-inconsistent or inconsistent-camera finding", () => {
    assert.equal(records.length, 19);
    const raised = records.flatMap((r) => r.findings.filter((f) => SIGNALS.includes(f.code)).map((f) => `${r.source}: ${f.message}`));
    assert.deepEqual(raised, []);
  });

  it("the Photoshop-saved Samsung photo is edited: its firmware evidence is lost, and its tables are Adobe's", () => {
    const record = records.find((r) => r.source.endsWith("samsung-sm-g965w-photoshop.jpg"));
    const edited = withCode(record?.findings ?? [], "edited");
    assert.deepEqual(edited.map((f) => f.severity), ["medium", "medium"]);
    assert.match(edited[0]?.message ?? "", /the software field \(Software\) says "Adobe Photoshop 21\.0 \(Windows\)".*firmware evidence is lost/);
    assert.match(edited[0]?.message ?? "", /\(CreatorTool\) is still "G965WVLS3ARJ6"/);
    assert.match(edited[1]?.message ?? "", /compression tables \(quantization tables\) are Adobe's/);
    assert.equal(record?.image?.quantizationTables, "Adobe Lightroom / Photoshop CC, Lightroom quality 62–69%");
  });

  it("every JPEG carries a quantization fingerprint; the HEIC photos none", () => {
    for (const record of records) {
      const expected = record.format === "jpeg" ? /^[0-9a-f]{16}$/ : /^$/;
      assert.match(record.image?.quantization ?? "", expected, record.source);
    }
  });

  it("the leak scenarios keep their verdicts", async () => {
    const expected = JSON.parse(await readFile(`${SHARED}scenarios/expected.json`, "utf8")) as Record<string, { leak: boolean }>;
    const { records: scenarios } = await scan([`${SHARED}scenarios`]);
    for (const record of scenarios) {
      const name = record.source.split("/").at(-1) ?? "";
      assert.equal(record.verdict === "leak", expected[name]?.leak, `${name}: ${record.verdict}`);
      assert.deepEqual(record.findings.filter((f) => SIGNALS.includes(f.code)), [], name);
    }
  });
});

describe("tampered variants of real photos", () => {
  it("one date moved (Xperia Z2 DateTimeOriginal to before the Z2 was announced): date-inconsistent, and the leak is only suspicious", async () => {
    const original = await readFile(`${FIXTURES}sony-d6503-released.jpg`);
    const tampered = editExif(original, (tiff) => {
      tiff.setText("dateTimeOriginal", "2013:10:22 14:05:11");
    });
    const genuine = await analyzeBytes(original);
    assert.deepEqual(withCode(genuine.findings, "date-inconsistent"), []);
    const analysis = await analyzeBytes(tampered);
    assert.ok(withCode(analysis.findings, "captured-before-announcement").length > 0);
    const dates = withCode(analysis.findings, "date-inconsistent");
    assert.ok(dates.some((f) => f.severity === "high" && /the capture time \(DateTimeOriginal\) says 2013-10-22 14:05:11 but the digitized time \(CreateDate\) says 2014-09-23 16:38:23/.test(f.message)));
    assert.ok(dates.some((f) => /the camera's own date in its maker note says 2014-09-23 16:38:23/.test(f.message)));
    assert.ok(dates.some((f) => /the IPTC creation date/.test(f.message)));
    assert.equal(analysis.verdict, "suspicious");
  });

  it("one date moved on a photo with a GPS fix: the fix is later than any time zone allows", { skip: sharedSkip }, async () => {
    const original = await readFile(`${SHARED}corpus/phones/samsung-sm-n900a.jpg`);
    const tampered = editExif(original, (tiff) => {
      tiff.setText("dateTimeOriginal", "2014:06:01 16:17:10");
    });
    const findings = withCode((await analyzeBytes(tampered)).findings, "date-inconsistent");
    assert.ok(findings.some((f) => /the GPS time, .*, is .* later than the capture time \(DateTimeOriginal\), 2014-06-01 16:17:10, in any time zone \(it gives none, so 14 hours were allowed for one\)/.test(f.message)));
  });

  it("another phone's photo under a Sony model: the Samsung maker note and the pixels give it away", { skip: sharedSkip }, async () => {
    const samsung = await readFile(`${SHARED}corpus/phones/samsung-gt-i9505.jpg`);
    const asSony = (model: string): Buffer => editExif(samsung, (tiff) => {
      tiff.setText("make", "Sony");
      tiff.setText("model", model);
      tiff.setText("software", "14.2.A.0.290");
    });
    const z2 = await analyzeBytes(asSony("D6503"));
    assert.equal(z2.device?.name, "Xperia Z2");
    const z2Camera = withCode(z2.findings, "inconsistent-camera");
    assert.deepEqual(z2Camera.map((f) => f.severity), ["high"]);
    assert.match(z2Camera[0]?.message ?? "", /\(maker note\) is in Samsung's format.*the make field says "Sony"/);

    const ultra = await analyzeBytes(asSony("C6833"));
    const messages = withCode(ultra.findings, "inconsistent-camera").map((f) => f.message);
    assert.equal(messages.length, 2);
    assert.match(messages[1] ?? "", /4128x2322 \(9\.6 MP\), more than Xperia Z Ultra's 8\.0 MP camera can take/);
  });

  it("a leak's metadata grafted onto another phone's pixels: EXIF and maker-note sizes disagree with the image, so suspicious", { skip: sharedSkip }, async () => {
    const leak = await readFile(`${FIXTURES}sony-d5503-prelaunch.jpg`);
    const samsung = await readFile(`${SHARED}corpus/phones/samsung-gt-i9505.jpg`);
    const genuine = await analyzeBytes(leak);
    assert.equal(genuine.verdict, "leak");
    const analysis = await analyzeBytes(graftMetadata(leak, samsung));
    const [camera] = withCode(analysis.findings, "inconsistent-camera");
    assert.ok(camera);
    assert.equal(camera.severity, "medium");
    assert.match(camera.message, /the image is 4128x2322 but EXIF says the camera saved 3264x2448/);
    assert.equal(analysis.verdict, "suspicious");
  });

  describe("re-encoded among its siblings", () => {
    let dir: string;
    before(async () => {
      dir = await mkdtemp(join(workdir, "siblings-"));
      const original = await readFile(`${FIXTURES}sony-d6503-released.jpg`);
      for (const name of ["a.jpg", "b.jpg", "c.jpg"]) await writeFile(join(dir, name), original);
      // The same metadata, byte for byte, over pixels libjpeg re-encoded at quality 90.
      const reencoded = await sharp(original).jpeg({ quality: 90 }).toBuffer();
      await writeFile(join(dir, "d-reencoded.jpg"), graftMetadata(original, reencoded));
    });

    it("scan() flags the photo whose tables differ from its three siblings'", async () => {
      const { records } = await scan([dir]);
      const flagged = records.filter((r) => withCode(r.findings, "inconsistent-camera").length > 0);
      assert.deepEqual(flagged.map((r) => r.source.split("/").at(-1)), ["d-reencoded.jpg"]);
      const record = flagged[0];
      assert.ok(record);
      assert.equal(record.image?.quantizationTables, "libjpeg's standard tables at quality 90");
      assert.match(withCode(record.findings, "inconsistent-camera")[0]?.message ?? "", /differ from those of the 3 other photos of Xperia Z2 on 17\.1\.A\.2\.55_9_f300/);
    });

    it("the CLI compares siblings in buffered formats (json) but not in streaming NDJSON", async () => {
      const json = await runCli(["scan", dir, "--format", "json", "--quiet"]);
      assert.equal(json.code, 0, json.stderr);
      const buffered = JSON.parse(json.stdout) as ScanRecord[];
      assert.equal(buffered.filter((r) => withCode(r.findings, "inconsistent-camera").length > 0).length, 1);
      const ndjson = await runCli(["scan", dir, "--format", "ndjson", "--quiet"]);
      const streamed = parseNdjson<ScanRecord>(ndjson.stdout);
      assert.equal(streamed.length, 4);
      assert.equal(streamed.filter((r) => withCode(r.findings, "inconsistent-camera").length > 0).length, 0);
    });
  });
});
