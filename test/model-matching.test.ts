import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { describe, it } from "node:test";
import { analyze } from "../src/analyze/index.js";
import { cameraSample } from "../src/extract/sample.js";
import {
  BUNDLED_REGISTRIES,
  compactModel,
  DeviceRegistry,
  loadRegistry,
  stripVendorPrefix,
  validateRegistry,
  type RegistryFile,
} from "../src/registry/index.js";

const bundled = await loadRegistry();

function found(make: string | null, model: string): string {
  const result = bundled.lookup(make, model);
  return result.kind === "device" ? `${result.device.entry.name} (${result.match})` : result.kind;
}

describe("model strings as cameras write them", () => {
  it("finds the device through case, spacing, hyphens and the AT&T prefix", () => {
    assert.equal(found("samsung", "SM-G975F"), "Galaxy S10+ (model)");
    assert.equal(found("samsung", "sm-g975f"), "Galaxy S10+ (model)");
    assert.equal(found("samsung", "SM G975F"), "Galaxy S10+ (model)");
    assert.equal(found("SAMSUNG", "SAMSUNG-SM-N900A"), "Galaxy Note 3 (model)");
    assert.equal(found("SAMSUNG", "Samsung SGH-I747"), "Galaxy S III (model)");
    assert.equal(found("SAMSUNG", "SC02C"), "Galaxy S II (model)");
    assert.equal(found("Sony", "so-01f"), "Xperia Z1 (model)");
  });

  it("finds newer Samsungs by the marketing name they write as Model", () => {
    assert.equal(found("samsung", "Galaxy S24 FE"), "Galaxy S24 FE (name)");
    assert.equal(found("samsung", "galaxy  s24 fe"), "Galaxy S24 FE (name)");
    assert.equal(found("samsung", "Samsung Galaxy S24 FE"), "Galaxy S24 FE (name)");
    assert.equal(found("samsung", "Galaxy Z Fold5"), "Galaxy Z Fold5 (name)");
    assert.equal(found("samsung", "Galaxy S24"), "Galaxy S24 (name)");
  });

  it("takes an unlisted region or carrier suffix of a listed SM- model number as that device", () => {
    assert.equal(found("samsung", "SM-G965Z"), "Galaxy S9+ (variant)");
    assert.equal(found("samsung", "SM-G930Z"), "Galaxy S7 (variant)");
    assert.equal(found("SAMSUNG", "SAMSUNG-SM-G930Z"), "Galaxy S7 (variant)");
    assert.equal(found("samsung", "SM-S921Z"), "Galaxy S24 (variant)");
    assert.equal(found("samsung", "SM-S942Z"), "Galaxy S26 (variant)");
  });

  it("finds the right device for models that only resemble another's, and nothing for fragments", () => {
    // Each of these resembles a neighbour's number; the registry lists each under its own phone.
    for (const [model, name] of [
      ["SM-G986B", "Galaxy S20+ 5G"], // not the S20 (G980/G981) nor the S20 Ultra (G988)
      ["SM-S916B", "Galaxy S23+"],
      ["SM-G928F", "Galaxy S6 Edge+"], // not the S6 edge (G925)
      ["SM-N915F", "Galaxy Note Edge"], // not the Note 4 (N910)
      ["SM-F761B", "Galaxy Z Flip7 FE"], // not the Z Flip7 (F766)
      ["GT-I9300I", "Galaxy S3 Neo"], // another phone than the S III (GT-I9300)
    ] as const) {
      const result = bundled.lookup("samsung", model);
      assert.equal(result.kind === "device" ? result.device.entry.name : result.kind, name, model);
    }
    for (const model of [
      "Galaxy S24 Plus", // a plus is not the S24
      "SM-G97", // a fragment
      "SM-G9", // a fragment
      "SAMSUNG", // the prefix alone
      "SM-G975FXXU", // longer than any region suffix
      "D6503", // a Sony model under Samsung's Make
    ]) {
      const result = bundled.lookup("samsung", model);
      assert.notEqual(result.kind, "device", `${model} -> ${result.kind === "device" ? result.device.entry.name : ""}`);
    }
    // D6599 shares no listed phone's base (D650 is the Z2's): inside Sony's numbering, nobody's.
    assert.deepEqual(found("Sony", "D6599"), "unknown-model");
    // A Make that no registry claims finds nothing, whatever its model.
    assert.equal(found("HTC", "SM-G975F"), "unregistered");
    assert.equal(found("Sony Ericsson", "Galaxy S24 FE"), "unregistered");
  });

  it("an unknown Samsung model one generation past the S26 (SM-S94x) is news, whatever the coverage", () => {
    const sample = cameraSample({
      make: "samsung",
      model: "SM-S957B",
      software: "S957BXXU1AZA1",
      captured: "2026-05-01T10:00:00",
      width: 4000,
      height: 3000,
      megapixels: 12,
    });
    const result = analyze(sample, bundled);
    assert.equal(result.verdict, "leak");
    assert.deepEqual(result.findings.map((f) => f.code), ["unknown-model"]);
    assert.match(result.findings[0]?.message ?? "", /its generation is 5 and the latest known is 4: an unannounced next-generation device/);
    // An unlisted number of a known generation outside the claimed range stays unregistered.
    assert.equal(analyze({ ...sample, model: "SM-A999B" }, bundled).verdict, "unregistered");
  });

  it("an ambiguous string matches neither device", () => {
    const data: RegistryFile = {
      vendor: "Acme",
      modelVariants: { pattern: "^(AC-\\d{3})[A-Z]{0,2}$" },
      devices: [
        { name: "Acme One", models: ["AC-100A"], aliases: ["Acme Phone"] },
        { name: "Acme Two", models: ["AC-100B", "AC-200A"], aliases: ["Acme Phone"] },
      ],
    };
    const registry = DeviceRegistry.build([{ file: "acme.json", data }]);
    assert.equal(registry.lookup("Acme", "Acme Phone").kind, "unknown-model");
    // AC-100 is shared by both devices' models: AC-100C could be either.
    assert.equal(registry.lookup("Acme", "AC-100C").kind, "unknown-model");
    const two = registry.lookup("Acme", "AC-200C");
    assert.equal(two.kind === "device" ? `${two.device.entry.name} ${two.match}` : two.kind, "Acme Two variant");
  });

  it("compares models without case, spaces, hyphens or underscores, keeping everything else", () => {
    assert.equal(compactModel(" sm-g975f "), "SMG975F");
    assert.equal(compactModel("Galaxy S24 +"), "GALAXYS24+");
    assert.equal(stripVendorPrefix("SAMSUNG-SM-N900A", ["samsung"]), "SM-N900A");
    assert.equal(stripVendorPrefix("SAMSUNGX", ["samsung"]), null);
    assert.equal(stripVendorPrefix("Samsung", ["samsung"]), null);
  });
});

describe("devices with no dates", () => {
  const user: RegistryFile = { vendor: "Samsung", devices: [{ name: "Galaxy S27+", models: ["SM-S957B"] }] };

  function statusOf(layers: Parameters<typeof DeviceRegistry.build>[0], model: string) {
    const result = DeviceRegistry.build(layers).lookup("samsung", model);
    if (result.kind !== "device") return assert.fail(`${model} should be a device, not ${result.kind}`);
    return result.device.status;
  }

  it("count as rumoured when a user registry adds them, and as released with unknown dates when bundled", () => {
    assert.equal(statusOf([{ file: "mine.json", data: user, origin: "user" }], "SM-S957B"), "rumoured");
    assert.equal(statusOf([{ file: "bundled:x.json", data: user, origin: "bundled" }], "SM-S957B"), null);
    // Layers built by hand are curated unless marked as a user's.
    assert.equal(statusOf([{ file: "inline", data: user }], "SM-S957B"), null);
  });

  it("keep a bundled device released when a user file adds to it, and follow an explicit status", () => {
    const bundledData: RegistryFile = { vendor: "Samsung", devices: [{ name: "Galaxy Z TriFold", models: ["SM-F968"] }] };
    const alias: RegistryFile = { vendor: "Samsung", devices: [{ name: "Galaxy Z TriFold", models: ["SM-F968"], aliases: ["Galaxy Z TriFold 5G"] }] };
    assert.equal(
      statusOf([{ file: "b", data: bundledData, origin: "bundled" }, { file: "u", data: alias, origin: "user" }], "Galaxy Z TriFold 5G"),
      null,
    );
    const released: RegistryFile = { vendor: "Samsung", devices: [{ name: "Mine", models: ["SM-X1"], status: "released" }] };
    assert.equal(statusOf([{ file: "u", data: released, origin: "user" }], "SM-X1"), "released");
    const dated: RegistryFile = { vendor: "Samsung", devices: [{ name: "Dated", models: ["SM-X2"], announced: "2027-02" }] };
    assert.equal(statusOf([{ file: "u", data: dated, origin: "user" }], "SM-X2"), null);
  });

  it("a rumoured user device makes its photo a leak; the same bundled device does not", () => {
    const sample = cameraSample({ make: "samsung", model: "SM-S957B", captured: "2026-05-01T10:00:00" });
    const asUser = analyze(sample, DeviceRegistry.build([{ file: "mine.json", data: user, origin: "user" }]));
    assert.equal(asUser.verdict, "leak");
    assert.equal(asUser.findings[0]?.code, "captured-before-announcement");
    assert.match(asUser.findings[0].message, /mine\.json lists with no dates, so it counts as rumoured/);
    assert.equal(analyze(sample, DeviceRegistry.build([{ file: "b", data: user, origin: "bundled" }])).verdict, "known");
  });
});

describe("bundled registry data", () => {
  it("every file validates, and no model string could name two devices once case, spacing and hyphens are ignored", async () => {
    const owner = new Map<string, string>();
    let devices = 0;
    for (const name of BUNDLED_REGISTRIES) {
      const data = JSON.parse(await readFile(new URL(`../registry/${name}`, import.meta.url), "utf8")) as RegistryFile;
      assert.deepEqual(validateRegistry(name, data), []);
      for (const device of data.devices) {
        devices++;
        for (const model of [...device.models, ...(device.aliases ?? [])]) {
          const key = compactModel(model);
          assert.equal(owner.get(key), undefined, `${model}: ${String(owner.get(key))} and ${device.name}`);
          owner.set(key, `${data.vendor} ${device.name}`);
        }
      }
    }
    assert.ok(devices > 100);
  });

  it("every bundled model number finds its own device", () => {
    const wrong = bundled.devices.flatMap((device) =>
      device.entry.models
        .map((model) => [model, bundled.lookup(device.vendor.vendor, model)] as const)
        .filter(([, result]) => result.kind !== "device" || result.device.entry.name !== device.entry.name)
        .map(([model]) => `${model} (${device.entry.name})`),
    );
    assert.deepEqual(wrong, []);
  });

  it("marks what the Samsung notes left unverified", () => {
    const s7 = bundled.lookup("samsung", "SM-G930F");
    assert.ok(s7.kind === "device" && s7.device.entry.unverified?.includes("announced"));
    const note8 = bundled.lookup("samsung", "SM-N950U");
    assert.ok(note8.kind === "device" && note8.device.entry.unverified?.includes("SM-N950U"));
    const s8 = bundled.lookup("samsung", "SM-G950F");
    assert.ok(s8.kind === "device" && s8.device.entry.unverified === undefined);
  });
});
