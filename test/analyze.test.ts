import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { analyze } from "../src/analyze/index.js";
import { cameraSample } from "../src/extract/sample.js";
import type { CameraSample, FindingCode } from "../src/record.js";
import { DeviceRegistry, type RegistryFile } from "../src/registry/index.js";

const SONY: RegistryFile = {
  vendor: "Sony",
  makes: ["Sony"],
  firmwareScheme: "sony",
  coverage: { modelPattern: "^[C-F]\\d{4}$" },
  devices: [
    {
      name: "Xperia Z1 Compact",
      codename: "amami",
      models: ["D5503", "M51w"],
      announced: "2014-01-06",
      released: "2014-01",
      firmware: [{ build: "14.2.A.1.114" }, { build: "14.2.A.1.142" }, { build: "14.6.A.1.236" }],
    },
    {
      name: "Xperia Z2",
      models: ["D6503"],
      announced: "2014-02-24",
      released: "2014-04",
      firmware: [{ build: "17.1.A.2.55" }, { build: "23.5.A.1.291" }],
    },
    { name: "Xperia E1", models: ["D2005"] },
    { name: "Xperia Rumour", models: ["F9999"], status: "rumoured" },
  ],
};

const registry = DeviceRegistry.build([{ file: "inline", data: SONY }]);

function sample(overrides: Partial<Omit<CameraSample, "firmware">>): CameraSample {
  return cameraSample({ make: "Sony", model: "D6503", width: 3264, height: 2448, megapixels: 8, focalLength: 4.9, ...overrides });
}

function codes(s: CameraSample): FindingCode[] {
  return analyze(s, registry).findings.map((f) => f.code);
}

describe("analysis", () => {
  it("the seed case: D5503 on 14.2.A.0.204 in October 2013 is a leak, with both reasons", () => {
    const result = analyze(sample({ model: "D5503", software: "14.2.A.0.204", captured: "2013-10-22T14:05:11" }), registry);
    assert.equal(result.verdict, "leak");
    assert.deepEqual(result.findings.map((f) => f.code), ["captured-before-announcement", "prerelease-firmware"]);
    assert.match(result.findings[0]?.message ?? "", /2013-10-22, 76 days before Xperia Z1 Compact was announced \(2014-01-06\)/);
    assert.match(result.findings[1]?.message ?? "", /14\.2\.A\.0\.204 is older than .*14\.2\.A\.1\.114/);
    assert.equal(result.device?.name, "Xperia Z1 Compact");
    assert.equal(result.device.codename, "amami");
  });

  it("a released phone on public firmware after release is known, with no findings", () => {
    const result = analyze(sample({ software: "17.1.A.2.55_9_f300", captured: "2014-09-23T16:38:23" }), registry);
    assert.equal(result.verdict, "known");
    assert.deepEqual(result.findings, []);
  });

  it("allows a day of tolerance around dates (EXIF times carry no zone)", () => {
    assert.deepEqual(codes(sample({ model: "D5503", captured: "2014-01-05T23:00:00" })), []);
    assert.deepEqual(codes(sample({ model: "D5503", captured: "2014-01-04T23:00:00" })), ["captured-before-announcement"]);
  });

  it("treats a partial date as its first day for 'before' (released 2014-04 = from April 1)", () => {
    assert.deepEqual(codes(sample({ captured: "2014-03-31T12:00:00" })), []);
    assert.deepEqual(codes(sample({ captured: "2014-03-29T12:00:00" })), ["captured-before-release"]);
    const result = analyze(sample({ captured: "2014-03-01T12:00:00" }), registry);
    assert.equal(result.verdict, "leak");
    assert.match(result.findings[0]?.message ?? "", /before Xperia Z2 went on sale \(2014-04, taken as no earlier than 2014-04-01\)/);
  });

  it("flags firmware above the last public build, and is silent within the known range", () => {
    assert.deepEqual(codes(sample({ software: "23.9.A.0.100", captured: "2016-11-02T09:12:40" })), ["unknown-firmware"]);
    assert.deepEqual(codes(sample({ software: "23.4.A.0.546", captured: "2016-11-02T09:12:40" })), []);
  });

  it("downgrades a low build seen after release: the build list may simply be incomplete", () => {
    const result = analyze(sample({ software: "17.1.A.0.432", captured: "2014-09-23T16:38:23" }), registry);
    assert.equal(result.verdict, "known");
    assert.equal(result.findings[0]?.code, "prerelease-firmware");
    assert.equal(result.findings[0].severity, "low");
  });

  it("an unknown model inside the vendor's coverage is news", () => {
    const result = analyze(sample({ model: "D6999" }), registry);
    assert.equal(result.verdict, "leak");
    assert.deepEqual(result.findings.map((f) => f.code), ["unknown-model"]);
    assert.equal(result.device, null);
  });

  it("an unknown model outside coverage, or from an unregistered vendor, is never a leak", () => {
    for (const s of [
      sample({ make: "SONY", model: "CYBERSHOT" }),
      sample({ make: "SONY", model: "DSC-HX5V" }),
      sample({ make: "Sony", model: "G8341" }),
      sample({ make: "Canon", model: "Canon EOS 7D" }),
      sample({ make: "Sony Ericsson", model: "C905c" }),
      sample({ make: "HTC", model: "D6999" }),
    ]) {
      const result = analyze(s, registry);
      assert.equal(result.verdict, "unregistered", `${String(s.make)} ${String(s.model)}`);
      assert.deepEqual(result.findings, []);
    }
  });

  it("a listed device without dates is known, not a leak", () => {
    assert.equal(analyze(sample({ model: "D2005", captured: "2014-05-01T10:00:00" }), registry).verdict, "known");
  });

  it("a rumoured device is unannounced", () => {
    const result = analyze(sample({ model: "F9999", captured: "2016-05-01T10:00:00" }), registry);
    assert.equal(result.verdict, "leak");
    assert.match(result.findings[0]?.message ?? "", /rumoured/);
  });

  it("no make and no model is no-metadata, never a leak", () => {
    const result = analyze(sample({ make: null, model: null, captured: "2013-10-22T14:05:11" }), registry);
    assert.equal(result.verdict, "no-metadata");
    assert.deepEqual(result.findings.map((f) => f.code), ["no-camera-metadata"]);
  });

  it("matches models case-insensitively and finds a listed model with no Make", () => {
    assert.equal(analyze(sample({ model: "m51w", captured: "2014-06-01T10:00:00" }), registry).device?.name, "Xperia Z1 Compact");
    assert.equal(analyze(sample({ make: null, model: "D5503" }), registry).device?.name, "Xperia Z1 Compact");
  });
});

describe("dates no source confirms", () => {
  const unsourced = DeviceRegistry.build([{
    file: "inline",
    data: {
      ...SONY,
      devices: [
        { name: "Xperia Unsourced", models: ["E6653"], announced: "2015-09-02", released: "2015-10", unverified: ["announced"] },
        { name: "Xperia Sourced", models: ["E6853"], announced: "2015-09-02", released: "2015-10" },
      ],
    },
  }]);

  it("a capture before an unverified announcement is a low finding that says so, not a leak", () => {
    const result = analyze(sample({ model: "E6653", captured: "2015-07-01T10:00:00" }), unsourced);
    assert.equal(result.verdict, "known");
    assert.equal(result.findings[0]?.code, "captured-before-announcement");
    assert.equal(result.findings[0].severity, "low");
    assert.match(result.findings[0].message, /no source confirms the announcement date/);
  });

  it("the same capture before a sourced announcement is a high finding and a leak", () => {
    const result = analyze(sample({ model: "E6853", captured: "2015-07-01T10:00:00" }), unsourced);
    assert.equal(result.verdict, "leak");
    assert.equal(result.findings[0]?.severity, "high");
  });
});

describe("moments of dates", () => {
  it("are read anew for every other text, however texts alternate", async () => {
    const { moment } = await import("../src/analyze/time.js");
    // More texts than moment() remembers, read in turn and again: each answer is its own text's.
    const texts = Array.from({ length: 7 }, (_, i) => `2013-0${String(i + 1)}-1${String(i)}T08:14:0${String(i)}`);
    for (let round = 0; round < 3; round++) {
      for (const [i, text] of texts.entries()) {
        const read = moment(text);
        assert.equal(read?.text, text);
        assert.equal(read.wall, Date.UTC(2013, i, 10 + i, 8, 14, i));
        assert.equal(read.offset, null);
      }
    }
    assert.equal(moment("2013-09-10T08:14:02+02:00")?.offset, 120);
    assert.equal(moment("2013-09-10T08:14:02-05:30")?.offset, -330);
    assert.equal(moment("2013-09-1xT08:14:02"), null);
    assert.equal(moment(null), null);
  });
});
