import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { compareBuilds, readFirmware } from "../src/firmware/index.js";
import { sonyFirmware } from "../src/firmware/sony.js";

function build(text: string) {
  const parsed = sonyFirmware.parse(text);
  assert.ok(parsed, `${text} should parse`);
  return parsed;
}

describe("Sony firmware builds", () => {
  it("splits the camera app's suffix off and keeps it", () => {
    const parsed = build("17.1.A.2.55_9_f300");
    assert.equal(parsed.build, "17.1.A.2.55");
    assert.equal(parsed.suffix, "9_f300");
    assert.equal(build("23.0.A.2.105_6_f100000d").suffix, "6_f100000d");
    assert.equal(build("14.2.A.0.204").suffix, null);
  });

  it("compares field by field as numbers, not as text", () => {
    assert.ok((compareBuilds(build("14.2.A.0.204"), build("14.2.A.1.114")) ?? 0) < 0);
    assert.ok((compareBuilds(build("14.2.A.0.205"), build("14.2.A.0.204")) ?? 0) > 0);
    // "10.7" > "10.10" as text; 7 < 10 as numbers.
    assert.ok((compareBuilds(build("10.7.A.0.228"), build("10.10.A.0.1")) ?? 0) < 0);
    assert.ok((compareBuilds(build("23.9.A.0.100"), build("23.5.A.1.291")) ?? 0) > 0);
  });

  it("lines up builds with a third version number (17.1.A… < 17.1.1.A…)", () => {
    assert.ok((compareBuilds(build("17.1.A.2.55"), build("17.1.1.A.0.402")) ?? 0) < 0);
    assert.ok((compareBuilds(build("17.1.2.A.0.314"), build("17.1.1.A.0.402")) ?? 0) > 0);
  });

  it("ignores the stream letter, which has no fixed meaning", () => {
    assert.equal(compareBuilds(build("14.3.B.0.288"), build("14.3.A.0.288")), 0);
  });

  it("rejects what is not a Sony build", () => {
    for (const text of ["Adobe Photoshop CS6", "I9505XXUGNG8", "14.2.a.0.204", "14.A.0.204", "", "R1BA042 prg1205"]) {
      assert.equal(sonyFirmware.parse(text), null, text);
    }
  });

  it("reads firmware only for the makes whose scheme it is", () => {
    assert.deepEqual(readFirmware("Sony", "14.2.A.0.204"), { vendor: "sony", build: "14.2.A.0.204", suffix: null });
    assert.deepEqual(readFirmware("SONY", "17.1.A.2.55_9_f300"), { vendor: "sony", build: "17.1.A.2.55", suffix: "9_f300" });
    assert.equal(readFirmware("Canon", "14.2.A.0.204"), null);
    assert.equal(readFirmware(null, "14.2.A.0.204"), null);
    assert.equal(readFirmware("Sony", null), null);
  });
});
