import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { analyze } from "../src/analyze/index.js";
import type { CameraSample, Finding } from "../src/record.js";
import { DeviceRegistry, type RegistryFile } from "../src/registry/index.js";
import { cameraSample } from "../src/extract/sample.js";

const SAMSUNG: RegistryFile = {
  vendor: "Samsung",
  makes: ["samsung"],
  firmwareScheme: "samsung",
  devices: [
    { name: "Galaxy S24", models: ["SM-S921B"], announced: "2024-01-17", released: "2024-01-31", unverified: ["announced"] },
    { name: "Galaxy S10+", models: ["SM-G975F"], announced: "2019-02-20", released: "2019-03-08" },
    { name: "Galaxy Announced", models: ["SM-X100B"], announced: "2025-03" },
  ],
};
const registry = DeviceRegistry.build([{ file: "inline", data: SAMSUNG }]);

function sample(model: string, software: string | null, captured: string | null): CameraSample {
  return cameraSample({ make: "samsung", model, software, captured });
}

function only(findings: Finding[], code: Finding["code"]): Finding[] {
  return findings.filter((f) => f.code === code);
}

describe("findings from a build's decoded date", () => {
  it("a build dated after the capture time is date-inconsistent (medium), with a day of tolerance and partial-date semantics", () => {
    const result = analyze(sample("SM-G975F", "G975FXXU7CTF1", "2020-05-01T10:00:00"), registry);
    const [finding] = only(result.findings, "date-inconsistent");
    assert.equal(finding?.severity, "medium");
    assert.match(finding.message, /G975FXXU7CTF1 was built in 2020-06, after the photo's capture time \(2020-05-01\)/);
    assert.equal(result.verdict, "known");
    // A June build is after a photo only when the photo is before June 1st, with a day to spare.
    assert.deepEqual(only(analyze(sample("SM-G975F", "G975FXXU7CTF1", "2020-05-31T23:00:00"), registry).findings, "date-inconsistent"), []);
    assert.equal(only(analyze(sample("SM-G975F", "G975FXXU7CTF1", "2020-05-30T23:00:00"), registry).findings, "date-inconsistent").length, 1);
    assert.deepEqual(analyze(sample("SM-G975F", "G975FXXU7CTF1", "2020-06-30T11:27:59"), registry).findings, []);
  });

  it("works for unregistered Samsungs too: the build's date needs no registry entry", () => {
    const result = analyze(sample("SM-A999Z", "A999ZXXU1AXA1", "2020-01-01T00:00:00"), registry);
    assert.equal(result.verdict, "unregistered");
    assert.deepEqual(result.findings.map((f) => f.code), ["date-inconsistent"]);
  });

  it("a year-only build (P month) is after a capture only when the capture is before that year", () => {
    const registryS2 = DeviceRegistry.build([{ file: "s2", data: { vendor: "Samsung", firmwareScheme: "samsung", devices: [{ name: "Galaxy S II", models: ["GT-I9100"], announced: "2011-02" }] } }]);
    assert.deepEqual(analyze(sample("GT-I9100", "I9100XWLPT", "2012-01-01T00:00:00"), registryS2).findings, []);
    const early = analyze(sample("GT-I9100", "I9100XWLPT", "2011-12-20T00:00:00"), registryS2).findings;
    assert.deepEqual(early.map((f) => f.code), ["date-inconsistent"]);
    assert.match(early[0]?.message ?? "", /built in 2012 \(its code gives no month\)/);
  });

  it("a build dated before the announcement, on a photo shot before release, is a high prerelease-firmware", () => {
    const result = analyze(sample("SM-S921B", "S921BXXU1AWL1", "2023-12-20T10:00:00"), registry);
    assert.equal(result.verdict, "leak");
    const [finding] = only(result.findings, "prerelease-firmware");
    assert.equal(finding?.severity, "high");
    assert.match(finding.message, /built in 2023-12, before Galaxy S24 was announced \(2024-01-17, a date no source confirmed\), and the photo was shot 2023-12-20, before Galaxy S24 went on sale/);
  });

  it("the same launch build on a photo shot after release is low: retail phones ship with it", () => {
    const result = analyze(sample("SM-S921B", "S921BXXU1AWL1", "2024-03-01T10:00:00"), registry);
    assert.equal(result.verdict, "known");
    assert.deepEqual(result.findings.map((f) => [f.code, f.severity]), [["prerelease-firmware", "low"]]);
    // With no capture time there is nothing to place the photo before release: low as well.
    const undated = analyze(sample("SM-S921B", "S921BXXU1AWL1", null), registry);
    assert.equal(undated.verdict, "known");
    assert.deepEqual(undated.findings.map((f) => [f.code, f.severity]), [["prerelease-firmware", "low"]]);
  });

  it("a build in the announcement's month, or within a day of it, is not before it", () => {
    assert.deepEqual(analyze(sample("SM-S921B", "S921BXXU1AXA1", "2024-01-25T10:00:00"), registry).findings.map((f) => f.code), ["captured-before-release"]);
    // Announced 2025-03 (from March 1st): a February build ends a day before, inside the tolerance.
    assert.deepEqual(only(analyze(sample("SM-X100B", "X100BXXU1AYB1", "2025-04-01T10:00:00"), registry).findings, "prerelease-firmware"), []);
    assert.equal(only(analyze(sample("SM-X100B", "X100BXXU1AYA1", "2025-02-10T10:00:00"), registry).findings, "prerelease-firmware")[0]?.severity, "high");
  });

  it("a leak whose build postdates its capture time is only suspicious: the clock is wrong", () => {
    // A device whose announcement is sourced: on an unverified date the capture would be only a low finding.
    const result = analyze(sample("SM-G975F", "G975FXXU1ASB1", "2018-11-01T10:00:00"), registry);
    assert.deepEqual(result.findings.map((f) => f.code), ["captured-before-announcement", "date-inconsistent"]);
    assert.equal(result.verdict, "suspicious");
  });

  it("says nothing about a Software string that is not a build (an editor re-saved the photo)", () => {
    const result = analyze(sample("SM-G975F", "Adobe Photoshop 21.0 (Windows)", "2020-10-27T13:23:33"), registry);
    assert.deepEqual(result.findings, []);
    assert.equal(result.verdict, "known");
  });
});
