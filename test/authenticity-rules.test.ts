/**
 * The authenticity rules on inline data: edited, date-inconsistent, inconsistent-camera, the
 * sibling comparison, and how they combine into a verdict.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { cameraConsistencyRule } from "../src/analyze/camera-consistency.js";
import { dateConsistencyRule } from "../src/analyze/date-consistency.js";
import { editedRule } from "../src/analyze/edited.js";
import { analyze, withDoubts } from "../src/analyze/index.js";
import { siblingFindings, withSiblingFindings } from "../src/analyze/siblings.js";
import { NO_EVIDENCE, type Evidence } from "../src/extract/authenticity.js";
import { fromHttpDate, type EvidenceDates } from "../src/extract/authenticity.js";
import type { CameraSample, Finding, ScanRecord } from "../src/record.js";
import { DeviceRegistry, type LookupResult } from "../src/registry/index.js";

const REGISTRY = DeviceRegistry.build([
  {
    file: "inline",
    data: {
      vendor: "Sony",
      makes: ["Sony"],
      coverage: { modelPattern: "^[C-F]\\d{4}$" },
      devices: [
        {
          name: "Xperia Z2",
          models: ["D6503"],
          announced: "2014-02-24",
          released: "2014-04",
          camera: { megapixels: 20.7, modes: [[5248, 3936], [3264, 2448]], focalLength: [4.9, 2.2] },
        },
        { name: "Xperia Z Ultra", models: ["C6833"], released: "2013-08", camera: { megapixels: 8 } },
      ],
    },
  },
]);

function sample(overrides: Partial<CameraSample> = {}): CameraSample {
  return {
    make: "Sony",
    model: "D6503",
    software: "17.1.A.2.55_9_f300",
    firmware: null,
    captured: "2014-09-23T16:38:23",
    width: 3264,
    height: 2448,
    megapixels: 8,
    focalLength: 4.9,
    focalLength35mm: null,
    lens: null,
    ...overrides,
  };
}

function evidence(overrides: Omit<Partial<Evidence>, "dates"> & { dates?: Partial<EvidenceDates> } = {}): Evidence {
  const { dates, ...rest } = overrides;
  return { ...NO_EVIDENCE, ...rest, dates: { ...NO_EVIDENCE.dates, ...dates } };
}

function lookup(s: CameraSample): LookupResult {
  return REGISTRY.lookup(s.make, s.model);
}

function codes(findings: readonly Finding[]): string[] {
  return findings.map((f) => `${f.code}/${f.severity}`);
}

const CAPTURE = "2014-09-23T16:38:23";

describe("date-inconsistent", () => {
  const run = (dates: Partial<EvidenceDates>, extra: Partial<Evidence> = {}): Finding[] =>
    dateConsistencyRule({ sample: sample(), lookup: lookup(sample()), evidence: evidence({ ...extra, dates: { dateTimeOriginal: CAPTURE, ...dates } }) });

  it("finds nothing when every clock agrees (seconds apart, zones, midnight-only IPTC days)", () => {
    assert.deepEqual(run({
      createDate: "2014-09-23T16:38:24",
      makerNote: CAPTURE,
      modifyDate: CAPTURE,
      xmpCreateDate: "2014-09-23T16:38:23+01:00",
      photoshopDateCreated: "2014-09-23T16:38:24",
      iptcCreated: "2014-09-23T00:00:00",
      xmpMetadataDate: "2014-09-24T09:39:39+01:00",
      gps: "2014-09-23T15:38:00+00:00",
    }), []);
  });

  it("a DateTimeOriginal moved away from CreateDate and the maker note's date: high, naming both values", () => {
    const findings = run({ dateTimeOriginal: "2013-10-22T14:05:11", createDate: CAPTURE, makerNote: CAPTURE });
    assert.deepEqual(codes(findings).slice(0, 2), ["date-inconsistent/high", "date-inconsistent/high"]);
    assert.match(findings[0]?.message ?? "", /the capture time \(DateTimeOriginal\) says 2013-10-22 14:05:11 but the digitized time \(CreateDate\) says 2014-09-23 16:38:23 \(336 days later\)/);
    assert.match(findings[1]?.message ?? "", /the camera's own date in its maker note says 2014-09-23 16:38:23/);
  });

  it("XMP and IPTC copies that disagree are medium; a zone difference of up to 14 hours is allowed and said", () => {
    assert.deepEqual(codes(run({ photoshopDateCreated: "2014-09-20T16:38:23" })), ["date-inconsistent/medium"]);
    assert.deepEqual(run({ xmpCreateDate: "2014-09-24T02:38:23+00:00" }), []);
    const far = run({ xmpCreateDate: "2014-09-25T02:38:23+00:00" });
    assert.match(far[0]?.message ?? "", /more than any time zone \(up to 14 hours\) explains/);
  });

  it("both zoned: the same wall clock (software appends its own zone) or the same instant agree; else no zone allowance", () => {
    const zoned = { dateTimeOriginal: "2014-09-23T16:38:23+01:00" };
    assert.deepEqual(run({ ...zoned, xmpCreateDate: "2014-09-23T15:38:23+00:00" }), []);
    assert.deepEqual(run({ ...zoned, xmpCreateDate: "2014-09-23T16:38:23-05:00" }), []);
    assert.deepEqual(codes(run({ ...zoned, xmpCreateDate: "2014-09-23T19:38:23+01:00" })), ["date-inconsistent/medium"]);
  });

  it("a later ModifyDate is an edit, not an inconsistency; one more than a day earlier is", () => {
    assert.deepEqual(run({ modifyDate: "2015-01-01T00:00:00" }), []);
    assert.deepEqual(run({ modifyDate: "2014-09-23T02:00:00" }), [], "within a day: time zones");
    const findings = run({ modifyDate: "2014-09-01T10:00:00" });
    assert.deepEqual(codes(findings), ["date-inconsistent/medium"]);
    assert.match(findings[0]?.message ?? "", /the last-saved time \(ModifyDate\), 2014-09-01 10:00:00, is 22 days before the capture time \(DateTimeOriginal\)/);
  });

  it("a GPS fix later than any time zone allows is flagged and the 14-hour allowance said; an older fix is normal", () => {
    assert.deepEqual(run({ gps: "2014-09-24T06:00:00+00:00" }), [], "13.4 h later: a zone west of UTC");
    assert.deepEqual(run({ gps: "2014-09-01T06:00:00+00:00" }), [], "a stale fix");
    const findings = run({ gps: "2014-10-02T06:00:00+00:00" });
    assert.deepEqual(codes(findings), ["date-inconsistent/medium"]);
    assert.match(findings[0]?.message ?? "", /in any time zone \(it gives none, so 14 hours were allowed for one\)/);
    // With the zone known there is nothing to allow.
    assert.deepEqual(codes(run({ dateTimeOriginal: "2014-09-23T16:38:23+00:00", gps: "2014-09-23T18:00:00+00:00" })), ["date-inconsistent/medium"]);
  });

  it("ignores placeholders: Qualcomm's 2002-12-08 12:00:00 CreateDate and clocks never set (1970)", () => {
    assert.deepEqual(run({ createDate: "2002-12-08T12:00:00", xmpModifyDate: "1970-01-01T00:00:00" }), []);
  });

  // A capture after a URL's Last-Modified is analyze/published.ts's finding (test/published.test.ts:
  // "doubts a photo served before it was shot"); this rule reads only the file's own dates.
  it("fromHttpDate writes an HTTP date as evidence dates are written", () => {
    assert.equal(fromHttpDate("Tue, 22 Oct 2013 14:05:11 GMT"), "2013-10-22T14:05:11+00:00");
    assert.equal(fromHttpDate("yesterday"), null);
  });

  it("needs evidence", () => {
    assert.deepEqual(dateConsistencyRule({ sample: sample(), lookup: lookup(sample()) }), []);
  });
});

describe("edited", () => {
  const run = (s: CameraSample, e: Evidence): Finding[] => editedRule({ sample: s, lookup: lookup(s), evidence: e });

  it("an editor in Software on a phone: medium, and says the firmware evidence is lost and what XMP kept", () => {
    const findings = run(sample({ software: "Adobe Photoshop 21.0 (Windows)" }), evidence({
      creatorTool: "17.1.A.2.55_9_f300",
      history: [{ action: "saved", softwareAgent: "Adobe Photoshop 21.0 (Windows)", changed: "/", when: "2020-11-22T10:27:41-05:00" }],
    }));
    assert.deepEqual(codes(findings), ["edited/medium"]);
    const message = findings[0]?.message ?? "";
    assert.match(message, /re-saved in Adobe Photoshop/);
    assert.match(message, /firmware evidence is lost/);
    assert.match(message, /\(CreatorTool\) is still "17\.1\.A\.2\.55_9_f300"/);
    assert.match(message, /changing "\/": more than the metadata/);
  });

  it("XMP history of metadata-only saves is low and says the pixels were not touched", () => {
    const findings = run(sample(), evidence({
      history: [{ action: "saved", softwareAgent: "Adobe Photoshop Camera Raw 8.6", changed: "/metadata", when: "2014-09-24T09:39:39+01:00" }],
    }));
    assert.deepEqual(codes(findings), ["edited/low"]);
    assert.match(findings[0]?.message ?? "", /only the metadata \("\/metadata"\): the pixels were not touched/);
  });

  it("an editor in XMP CreatorTool is medium", () => {
    const findings = run(sample({ software: "QuickTime 7.7.1" }), evidence({ creatorTool: "Adobe Photoshop Lightroom" }));
    assert.deepEqual(codes(findings), ["edited/medium"]);
    assert.deepEqual(codes(run(sample(), evidence({ creatorTool: "Adobe Photoshop Lightroom" }))), ["edited/medium"]);
  });

  it("Adobe's quantization tables are medium; libjpeg's standard tables, which phones use too, are nothing", () => {
    const adobe = run(sample(), evidence({ quantization: { fingerprint: "8f6a553e2f837cb6", known: { encoder: "Adobe Photoshop quality 8", family: "adobe" } } }));
    assert.deepEqual(codes(adobe), ["edited/medium"]);
    assert.match(adobe[0]?.message ?? "", /Adobe Photoshop quality 8/);
    assert.deepEqual(run(sample(), evidence({ quantization: { fingerprint: "1b0d6377e8e9b527", known: { encoder: "libjpeg q97", family: "libjpeg" } } })), []);
  });

  it("pixels scaled down from the EXIF size are a low edit; a ModifyDate days later only when nothing else says so", () => {
    const resized = run(sample(), evidence({ exifSize: { width: 3264, height: 2448 }, frame: { width: 1024, height: 768 } }));
    assert.deepEqual(codes(resized), ["edited/low"]);
    const rewritten = run(sample(), evidence({ dates: { dateTimeOriginal: CAPTURE, modifyDate: "2014-10-01T10:00:00" } }));
    assert.deepEqual(codes(rewritten), ["edited/low"]);
    assert.match(rewritten[0]?.message ?? "", /7 days after/);
  });

  it("an untouched camera file has none", () => {
    assert.deepEqual(run(sample(), evidence({
      creatorTool: "17.1.A.2.55_9_f300",
      exifSize: { width: 3264, height: 2448 },
      frame: { width: 3264, height: 2448 },
      dates: { dateTimeOriginal: CAPTURE, modifyDate: CAPTURE },
    })), []);
  });
});

describe("inconsistent-camera", () => {
  const run = (s: CameraSample, e: Evidence = evidence()): Finding[] => cameraConsistencyRule({ sample: s, lookup: lookup(s), evidence: e });

  it("a Samsung maker note under a Sony Make is high and names both", () => {
    const findings = run(sample(), evidence({ makerNote: { format: "samsung", signature: "..........01", date: null, size: null } }));
    assert.deepEqual(codes(findings), ["inconsistent-camera/high"]);
    assert.match(findings[0]?.message ?? "", /\(maker note\) is in Samsung's format, a header-less note.*the make field says "Sony"/);
  });

  it("a maker note of the Make's own family, or of a known OEM's, is fine", () => {
    assert.deepEqual(run(sample(), evidence({ makerNote: { format: "sony", signature: "SONY MOBILE", date: null, size: null } })), []);
    assert.deepEqual(run(sample({ make: "Sony Ericsson", model: "C905c" }), evidence({ makerNote: { format: "sony", signature: "SEMC MS", date: null, size: null } })), []);
    assert.deepEqual(run(sample({ make: "SAMSUNG", model: "GX-10" }), evidence({ makerNote: { format: "pentax", signature: "AOC.MM", date: null, size: null } })), []);
    assert.deepEqual(run(sample({ make: "HTC", model: "One" }), evidence({ makerNote: { format: null, signature: "", date: null, size: null } })), []);
  });

  it("more pixels than the sensor has is high; fewer, or another aspect below the ceiling, is not flagged (mode lists are incomplete)", () => {
    const ultra = sample({ model: "C6833", width: 4128, height: 2322 });
    const findings = run(ultra);
    assert.deepEqual(codes(findings), ["inconsistent-camera/high"]);
    assert.match(findings[0]?.message ?? "", /4128x2322 \(9\.6 MP\), more than Xperia Z Ultra's 8\.0 MP camera/);
    assert.deepEqual(run(sample({ width: 3840, height: 2160 })), [], "16:9 8 MP on a Z2");
    assert.deepEqual(run(sample({ width: 2448, height: 3264 })), [], "a listed mode, rotated");
    assert.deepEqual(run(sample({ model: "C6833", width: 9000, height: 1500 })), [], "a panorama");
  });

  it("EXIF or maker-note size that the frame contradicts is medium; low when editing explains it; a resize is not this", () => {
    const grafted = evidence({ exifSize: { width: 3264, height: 2448 }, frame: { width: 4128, height: 2322 } });
    const findings = run(sample(), grafted);
    assert.deepEqual(codes(findings), ["inconsistent-camera/medium"]);
    assert.match(findings[0]?.message ?? "", /the image is 4128x2322 but EXIF says the camera saved 3264x2448/);
    assert.deepEqual(codes(run(sample({ software: "Adobe Photoshop CS6" }), grafted)), ["inconsistent-camera/low"]);
    const noteOnly = evidence({ makerNote: { format: "sony", signature: "SONY MOBILE", date: null, size: { width: 5248, height: 3936 } }, frame: { width: 4128, height: 2322 } });
    assert.match(run(sample(), noteOnly)[0]?.message ?? "", /maker note says the camera shot 5248x3936/);
    assert.deepEqual(run(sample(), evidence({ exifSize: { width: 3264, height: 2448 }, frame: { width: 2448, height: 3264 } })), [], "rotation");
    assert.deepEqual(run(sample(), evidence({ exifSize: { width: 3264, height: 2448 }, frame: { width: 3264, height: 2432 } })), [], "padding");
    assert.deepEqual(run(sample(), evidence({ exifSize: { width: 3264, height: 2448 }, frame: { width: 1632, height: 1224 } })), [], "resized");
  });

  it("a focal length none of the registry's lenses has is medium", () => {
    const findings = run(sample({ focalLength: 4.3 }));
    assert.deepEqual(codes(findings), ["inconsistent-camera/medium"]);
    assert.match(findings[0]?.message ?? "", /4\.3 mm, but Xperia Z2's lenses are 4\.9 mm, 2\.2 mm/);
    assert.deepEqual(run(sample({ focalLength: 4.88 })), []);
    assert.deepEqual(run(sample({ model: "C6833", focalLength: 1 })), [], "no lens list: nothing to compare");
  });
});

describe("verdicts", () => {
  it("a leak whose evidence is contradicted is suspicious, and the sentences say why", () => {
    const leak = sample({ captured: "2013-10-22T14:05:11" });
    const clean = analyze(leak, REGISTRY, { evidence: evidence({ dates: { dateTimeOriginal: "2013-10-22T14:05:11", createDate: "2013-10-22T14:05:11" } }) });
    assert.equal(clean.verdict, "leak");
    const tampered = analyze(leak, REGISTRY, { evidence: evidence({ dates: { dateTimeOriginal: "2013-10-22T14:05:11", createDate: CAPTURE } }) });
    assert.equal(tampered.verdict, "suspicious");
    assert.ok(tampered.findings.some((f) => f.code === "captured-before-announcement"));
    assert.ok(tampered.findings.some((f) => f.code === "date-inconsistent" && f.message.includes("(CreateDate) says 2014-09-23")));
  });

  it("low-severity doubts leave a leak a leak", () => {
    assert.equal(withDoubts("leak", [{ code: "edited", severity: "low", message: "" }]), "leak");
    assert.equal(withDoubts("leak", [{ code: "inconsistent-camera", severity: "medium", message: "" }]), "suspicious");
    assert.equal(withDoubts("known", [{ code: "inconsistent-camera", severity: "high", message: "" }]), "known");
  });
});

describe("sibling comparison", () => {
  function record(source: string, quantization: string, overrides: Partial<ScanRecord> = {}): ScanRecord {
    return {
      schema: 1,
      source,
      kind: "file",
      bytes: 1,
      format: "jpeg",
      sha256: null,
      camera: sample(),
      image: { quantization, quantizationTables: null },
      device: { vendor: "Sony", name: "Xperia Z2", codename: null, announced: null, released: null, registry: "inline" },
      verdict: "known",
      findings: [],
      error: null,
      ...overrides,
    };
  }

  it("flags the one photo whose tables differ from siblings that all agree", () => {
    const records = [record("a", "aaaa"), record("b", "aaaa"), record("c", "aaaa"), record("d", "bbbb", { verdict: "leak" })];
    const added = siblingFindings(records);
    assert.equal(added.size, 1);
    const finding = added.get(records[3] as ScanRecord)?.[0];
    assert.ok(finding);
    assert.equal(finding.code, "inconsistent-camera");
    assert.equal(finding.severity, "medium");
    assert.match(finding.message, /differ from those of the 3 other photos of Xperia Z2 on 17\.1\.A\.2\.55_9_f300/);
    const updated = withSiblingFindings(records);
    assert.equal(updated[3]?.verdict, "suspicious");
    assert.equal(updated[0], records[0], "records without findings are passed through");
  });

  it("says nothing when siblings disagree among themselves, are too few, or are another firmware", () => {
    assert.equal(siblingFindings([record("a", "aaaa"), record("b", "cccc"), record("c", "aaaa"), record("d", "bbbb")]).size, 0);
    assert.equal(siblingFindings([record("a", "aaaa"), record("b", "aaaa"), record("d", "bbbb")]).size, 0);
    const other = { camera: sample({ software: "23.5.A.1.291" }) };
    assert.equal(siblingFindings([record("a", "aaaa"), record("b", "aaaa"), record("c", "aaaa"), record("d", "bbbb", other)]).size, 0);
  });
});
