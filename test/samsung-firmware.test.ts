import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { compareBuilds, readFirmware } from "../src/firmware/index.js";
import { buildModelCode, samsungFirmware } from "../src/firmware/samsung.js";

function parse(code: string, models: string[] = []) {
  const parsed = samsungFirmware.parse(code, models);
  assert.ok(parsed, `${code} should parse`);
  return parsed;
}

describe("Samsung build codes", () => {
  it("decodes the build dates of the notes' examples, with and without the model in hand", () => {
    const examples: [code: string, model: string, date: string][] = [
      ["I9505XXUGNG8", "GT-I9505", "2014-07"],
      ["N900AUCUCNC2", "SAMSUNG-SM-N900A", "2014-03"],
      ["G975FXXU7CTF1", "SM-G975F", "2020-06"],
      ["J327T1UVS4ASH2", "SM-J327T1", "2019-08"],
      ["S721BXXS3AYB3", "Galaxy S24 FE", "2025-02"],
      ["G935LKLU1APL1", "SM-G935L", "2016-12"],
    ];
    for (const [code, model, date] of examples) {
      assert.equal(parse(code, [model]).date, date, `${code} with ${model}`);
      assert.equal(parse(code).date, date, `${code} alone`);
    }
  });

  it("splits the current layout into model, CSC, type, bootloader, major, year, month and build", () => {
    assert.deepEqual(parse("G975FXXU7CTF1", ["SM-G975F"]).details, {
      model: "G975F",
      csc: "XX",
      type: "U (update)",
      bootloader: "7",
      major: "C",
      built: "2020-06",
      build: "1",
    });
    const security = parse("J327T1UVS4ASH2", ["SM-J327T1"]);
    assert.equal(security.details?.["model"], "J327T1");
    assert.equal(security.details["type"], "S (security update)");
    assert.equal(security.details["bootloader"], "4");
  });

  it("tries the known models longest first: J327T1 before J327T", () => {
    assert.equal(parse("J327T1UVS4ASH2", ["SM-J327T", "SM-J327T1"]).details?.["model"], "J327T1");
    // A J327T build read with the J327T1 model list: J327T1 does not prefix it, J327T does.
    assert.equal(parse("J327TUVS4ASH2", ["SM-J327T1", "SM-J327T"]).details?.["model"], "J327T");
  });

  it("reads 2011–12 builds whose month slot holds P as a year with no month", () => {
    const ics = parse("I9100XWLPT", ["GT-I9100"]);
    assert.equal(ics.date, "2012");
    assert.match(ics.details?.["built"] ?? "", /month not given/);
    assert.equal(parse("SC02COMMP7", ["SC-02C"]).details?.["model"], "SC02C");
  });

  it("orders builds of one model by bootloader, major, year, month and build; other models do not compare", () => {
    const order = ["G975FXXU1ASBA", "G975FXXU1ASC8", "G975FXXU2BSK1", "G975FXXS7CTF1", "G975FXXU7CTF1", "G975FXXU7CTG1", "G975FXXU8DUA1"];
    for (let i = 1; i < order.length; i++) {
      const earlier = parse(order[i - 1] ?? "", ["SM-G975F"]);
      const later = parse(order[i] ?? "", ["SM-G975F"]);
      assert.ok((compareBuilds(earlier, later) ?? 0) <= 0, `${earlier.build} <= ${later.build}`);
    }
    assert.ok((compareBuilds(parse("G975FXXU1ASBA"), parse("G975FXXU9FVA1")) ?? 0) < 0);
    assert.equal(compareBuilds(parse("G975FXXU7CTF1"), parse("G973FXXU7CTF1")), null);
    assert.equal(compareBuilds(parse("I9505XXUGNG8"), parse("G975FXXU7CTF1")), null);
  });

  it("rejects what is not a Samsung build", () => {
    for (const text of [
      "Adobe Photoshop 21.0 (Windows)",
      "14.2.A.0.204",
      "g975fxxu7ctf1",
      "G975FXXU7CTM1", // M is no month
      "G975FXXX7CTF1", // X is neither an update nor a security type
      "G975F",
      "",
      "GIMP 2.10.34",
      "PhotoScape",
    ]) {
      assert.equal(samsungFirmware.parse(text, ["SM-G975F"]), null, text);
    }
  });

  it("turns model strings as written into the code builds begin with", () => {
    assert.equal(buildModelCode("SAMSUNG-SM-N900A"), "N900A");
    assert.equal(buildModelCode("sm-g975f"), "G975F");
    assert.equal(buildModelCode("GT-I9505"), "I9505");
    assert.equal(buildModelCode("SC-02C"), "SC02C");
    assert.equal(buildModelCode("SGH-I747"), "I747");
    assert.equal(buildModelCode("SM-"), null);
  });

  it("puts the decoded date in the record's firmware, for Samsung only", () => {
    assert.deepEqual(readFirmware("samsung", "G975FXXU7CTF1", "SM-G975F"), { vendor: "samsung", build: "G975FXXU7CTF1", suffix: null, date: "2020-06" });
    assert.deepEqual(readFirmware("SAMSUNG", "I9100XWLPT", "GT-I9100"), { vendor: "samsung", build: "I9100XWLPT", suffix: null, date: "2012" });
    assert.equal(readFirmware("samsung", "Adobe Photoshop 21.0 (Windows)", "SM-G965W"), null);
    // Sony builds carry no date: their records keep the shape they had.
    assert.deepEqual(readFirmware("Sony", "14.2.A.0.204", "D5503"), { vendor: "sony", build: "14.2.A.0.204", suffix: null });
  });
});
