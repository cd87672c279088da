import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { analyze, type AnalysisInputs, type Publication } from "../src/analyze/index.js";
import { lastModifiedDay } from "../src/analyze/published.js";
import type { CameraSample } from "../src/record.js";
import { loadRegistry, type DeviceRegistry } from "../src/registry/index.js";

let registry: DeviceRegistry;
before(async () => {
  registry = await loadRegistry();
});

function sample(model: string, captured: string | null): CameraSample {
  return {
    make: "Sony", model, software: null, firmware: null, captured, width: 3264, height: 2448,
    megapixels: 8, focalLength: 4.9, focalLength35mm: 27, lens: null,
  };
}

function served(lastModified: string | null): Publication {
  const url = "https://forum.example/attachments/DSC_0042.jpg";
  return { requested: url, final: url, lastModified };
}

/** What scan.ts hands analysis for a photo read from a URL. */
function published(lastModified: string | null): AnalysisInputs {
  return { published: served(lastModified) };
}

describe("Last-Modified as evidence", () => {
  it("reports a photo served before the device's announcement", () => {
    // Xperia Z1 Compact (D5503) was announced on 2014-01-06.
    const analysis = analyze(sample("D5503", null), registry, published("Fri, 01 Nov 2013 10:00:00 GMT"));
    assert.deepEqual(analysis.findings.map((f) => [f.code, f.severity]), [["published-before-announcement", "high"]]);
    assert.equal(
      analysis.findings[0]?.message,
      "the server dates the file Fri, 01 Nov 2013 10:00:00 GMT (Last-Modified), 66 days before Xperia Z1 Compact was announced (2014-01-06): the file was on the server before the announcement; a day of tolerance was allowed for time zones",
    );
    assert.equal(analysis.verdict, "leak");
  });

  it("allows a day of tolerance", () => {
    const analysis = analyze(sample("D5503", null), registry, published("Sun, 05 Jan 2014 23:00:00 GMT"));
    assert.deepEqual(analysis.findings, []);
    assert.equal(analysis.verdict, "known");
  });

  it("ignores placeholder and unreadable dates", () => {
    for (const value of ["Thu, 01 Jan 1970 00:00:00 GMT", "yesterday", ""]) {
      assert.deepEqual(analyze(sample("D5503", null), registry, published(value)).findings, [], value);
    }
    assert.equal(lastModifiedDay("Thu, 01 Jan 1970 00:00:00 GMT"), null);
    assert.equal(lastModifiedDay("Tue, 22 Oct 2013 14:05:11 GMT"), Date.UTC(2013, 9, 22) / 86_400_000);
  });

  it("doubts a photo served before it was shot instead of calling it a leak", () => {
    const analysis = analyze(sample("D5503", "2014-03-01T10:00:00"), registry, published("Fri, 01 Nov 2013 10:00:00 GMT"));
    assert.deepEqual(analysis.findings.map((f) => [f.code, f.severity]), [["date-inconsistent", "medium"]]);
    assert.match(analysis.findings[0]?.message ?? "", /\(Last-Modified, 2013-11-01\) is 120 days before the photo was shot \(2014-03-01\)/);
    assert.equal(analysis.verdict, "known");
  });

  it("says nothing without a Last-Modified, for files, or for devices with no announcement date", () => {
    assert.deepEqual(analyze(sample("D5503", null), registry, published(null)).findings, []);
    assert.deepEqual(analyze(sample("D5503", null), registry).findings, []);
    // An unknown model has no announcement to compare with: unknown-model says what there is to say.
    const unknown = analyze(sample("D6999", null), registry, published("Fri, 01 Nov 2013 10:00:00 GMT"));
    assert.deepEqual(unknown.findings.map((f) => f.code), ["unknown-model"]);
  });
});
