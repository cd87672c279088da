/**
 * The report step (thumbnails, metadata dumps) is bounded like triage: what would make exifr
 * quadratic is never given to it. Hostile inputs are built here.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { AbortedError } from "../src/errors.js";
import { dumpInput, dumpMetadata, MAX_DUMP_XMP_BYTES } from "../src/extract/dump.js";
import { cameraSample } from "../src/extract/sample.js";
import { photoEvidence } from "../src/photo-evidence.js";
import { emptyRecord, type ScanRecord } from "../src/record.js";
import type { EvidenceProvider } from "../src/report/evidence-provider.js";
import { buildReportModel } from "../src/report/model.js";
import { tempDir } from "./helpers.js";
import { withExif } from "./exif-writer.js";
import { EXTENDED_XMP_HEADER, extendedXmpSegments, plainJpeg, quadraticXmpForExifr as quadraticXmp, tiffWithXmp, withSegments } from "./support/hostile.js";

async function jpegWithExtendedXmp(extended: Buffer): Promise<Buffer> {
  return withSegments(withExif(await plainJpeg(), { make: "Sony", model: "D5503" }), extendedXmpSegments(extended));
}

describe("metadata dump bounds", () => {
  it("never gives exifr a JPEG's Extended XMP, and says it was left out", async () => {
    const jpeg = await jpegWithExtendedXmp(quadraticXmp(1024 * 1024));
    assert.ok(jpeg.length > 1024 * 1024);
    const input = await dumpInput(jpeg);
    assert.ok(input !== null);
    assert.ok(input.bytes.length < 4096, `exifr is given ${String(input.bytes.length)} bytes`);
    assert.equal(Buffer.from(input.bytes).indexOf(EXTENDED_XMP_HEADER, 0, "latin1"), -1);
    const tags = await dumpMetadata(jpeg);
    assert.equal(tags["ifd0:Model"], "D5503");
    assert.equal(tags["xmp:CreatorTool"], "Camera");
    assert.match(tags["exifhunt:extendedXmp"] ?? "", /^17 Extended XMP segments \(\d+ bytes\) not read$/);
  });

  it("gives exifr no XMP packet larger than 64 KiB (a TIFF's tag 700), and says so", async () => {
    const tiff = tiffWithXmp(quadraticXmp(1024 * 1024));
    const input = await dumpInput(tiff);
    assert.equal(input?.xmp, false);
    const tags = await dumpMetadata(tiff);
    assert.equal(tags["ifd0:Model"], "D5503");
    assert.match(tags["exifhunt:xmp"] ?? "", new RegExp(`not read \\(more than ${String(MAX_DUMP_XMP_BYTES)}\\)`));
    // Under the cap, the packet is read as before.
    assert.equal((await dumpInput(tiffWithXmp(quadraticXmp(1024))))?.xmp, true);
  });

  it("gives exifr an ordinary JPEG as it is", async () => {
    const jpeg = withExif(await plainJpeg(), { model: "D5503" });
    assert.equal((await dumpInput(jpeg))?.bytes, jpeg);
  });
});

describe("the report step under the scan's signal", () => {
  it("stops gathering evidence when the signal aborts, and throws instead of finishing the report", async () => {
    const dir = await tempDir("exifhunt-report-abort-");
    const hostile = await jpegWithExtendedXmp(quadraticXmp(1024 * 1024));
    const records: ScanRecord[] = [];
    for (let i = 0; i < 12; i++) {
      const path = join(dir, `p${String(i)}.jpg`);
      await writeFile(path, hostile);
      // A leak names its camera: a report reads evidence for the photos its sightings show.
      records.push({ ...emptyRecord(path, "file"), verdict: "leak", camera: cameraSample({ make: "Sony", model: "D5503" }) });
    }
    const controller = new AbortController();
    const inner = photoEvidence({ signal: controller.signal });
    let started = 0;
    let finished = 0;
    // Readiness: the first photo's evidence has begun; the abort comes then, as Ctrl-C would.
    const provider: EvidenceProvider = {
      async evidence(record) {
        if (++started === 1) controller.abort(new Error("SIGINT"));
        const evidence = await inner.evidence(record);
        finished++;
        return evidence;
      },
    };
    await assert.rejects(buildReportModel({ records, registryVersion: "test", registry: null, evidence: provider }), AbortedError);
    assert.equal(finished, 0);
    assert.ok(started <= 4, `${String(started)} photos started after the abort`);
  });
});
