import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { describe, it } from "node:test";
import { RegistryError } from "../src/errors.js";
import {
  BUNDLED_REGISTRIES,
  DeviceRegistry,
  loadRegistry,
  normalizeModel,
  parsePartialDate,
  validateRegistry,
  type RegistryFile,
} from "../src/registry/index.js";

describe("partial dates", () => {
  it("spans the first to the last day they may mean", () => {
    const day = (text: string) => new Date(`${text}T00:00:00Z`).getTime() / 86_400_000;
    assert.deepEqual(parsePartialDate("2014"), { text: "2014", firstDay: day("2014-01-01"), lastDay: day("2014-12-31") });
    assert.deepEqual(parsePartialDate("2016-02"), { text: "2016-02", firstDay: day("2016-02-01"), lastDay: day("2016-02-29") });
    assert.deepEqual(parsePartialDate("2014-01-06"), { text: "2014-01-06", firstDay: day("2014-01-06"), lastDay: day("2014-01-06") });
  });

  it("rejects days that do not exist", () => {
    for (const text of ["2014-02-30", "2014-13", "2014-00", "14-01-06", "2014-1-6", ""]) {
      assert.equal(parsePartialDate(text), null, text);
    }
  });
});

describe("registry validation", () => {
  it("lists every problem with the path of the field", () => {
    const problems = validateRegistry("my.json", {
      vendor: "Sony",
      devices: [{ name: "X", models: ["D1"], announced: "2014-13-01", colour: "red" }, { models: [] }],
    });
    const lines = problems.map((p) => `${p.path}: ${p.message}`);
    assert.ok(lines.some((l) => l.startsWith("devices.0.announced:")), lines.join("\n"));
    assert.ok(lines.some((l) => l.includes('unknown field "colour"')), lines.join("\n"));
    assert.ok(lines.some((l) => l.includes('missing required field "name"')), lines.join("\n"));
    assert.ok(problems.every((p) => p.file === "my.json"));
  });

  it("catches what the schema cannot: impossible days, duplicate models, bad regexes, release before announcement", () => {
    const problems = validateRegistry("my.json", {
      vendor: "Sony",
      firmwareScheme: "nokia",
      coverage: { modelPattern: "([" },
      devices: [
        { name: "A", models: ["D1", "d1"], announced: "2014-02-30" },
        { name: "B", models: ["D2"], announced: "2014-05", released: "2014-04" },
      ],
    });
    const paths = problems.map((p) => p.path).sort();
    assert.deepEqual(paths, ["coverage.modelPattern", "devices.0.announced", "devices.0.models.1", "devices.1.released", "firmwareScheme"]);
  });

  it("accepts every bundled registry, and no bundled model is listed twice", async () => {
    const seen = new Map<string, string>();
    for (const name of BUNDLED_REGISTRIES) {
      const data = JSON.parse(await readFile(new URL(`../registry/${name}`, import.meta.url), "utf8")) as RegistryFile;
      assert.deepEqual(validateRegistry(name, data), []);
      for (const device of data.devices) {
        for (const model of device.models) {
          const key = normalizeModel(model);
          assert.equal(seen.get(key), undefined, `${model} listed by ${String(seen.get(key))} and ${device.name}`);
          seen.set(key, device.name);
        }
      }
    }
    assert.ok(seen.size > 100);
  });

  it("refuses a bad user file with a RegistryError naming the file and field", async () => {
    await assert.rejects(loadRegistry({ files: ["fixtures/notes.txt", "no/such/registry.json"] }), (error: unknown) => {
      assert.ok(error instanceof RegistryError);
      assert.equal(error.problems.length, 2);
      assert.match(error.message, /fixtures\/notes\.txt: not valid JSON/);
      assert.match(error.message, /no\/such\/registry\.json: no such file/);
      return true;
    });
  });
});

describe("registry layering", () => {
  const base: RegistryFile = {
    vendor: "Sony",
    version: "1",
    coverage: { modelPattern: "^D\\d{4}$" },
    devices: [{ name: "Xperia Z1 Compact", codename: "amami", models: ["D5503"], announced: "2014-01-06", released: "2014-01" }],
  };

  it("merges devices by model number, later files winning field by field", () => {
    const user: RegistryFile = { vendor: "sony", devices: [{ name: "Xperia Z1 Compact", models: ["D5503", "D5588"], announced: "2014-01-07" }] };
    const registry = DeviceRegistry.build([
      { file: "bundled:sony.json", data: base },
      { file: "mine.json", data: user },
    ]);
    const found = registry.lookup("Sony", "D5588");
    if (found.kind !== "device") assert.fail(`D5588 should be a device, not ${found.kind}`);
    assert.equal(found.device.entry.announced, "2014-01-07");
    assert.equal(found.device.entry.released, "2014-01");
    assert.equal(found.device.entry.codename, "amami");
    assert.equal(found.device.registryFile, "mine.json");
    const same = registry.lookup("Sony", "D5503");
    assert.equal(same.kind === "device" ? same.device : null, found.device);
    assert.equal(registry.devices.length, 1);
    assert.equal(registry.version, "bundled:sony.json@1, mine.json");
  });

  it("keeps the coverage of earlier layers unless a later one sets it", () => {
    const registry = DeviceRegistry.build([
      { file: "a", data: base },
      { file: "b", data: { vendor: "Sony", devices: [{ name: "New", models: ["X1"] }] } },
    ]);
    assert.deepEqual(registry.lookup("Sony", "D9999"), { kind: "unknown-model", vendor: registry.vendors[0], inCoverage: true });
    assert.equal(registry.lookup("Sony", "X1").kind, "device");
  });
});

describe("a vendor's devices", () => {
  it("are every device of that vendor once, in registry order, kept after the first ask", async () => {
    const registry = await loadRegistry();
    const vendors = registry.vendors.map((vendor) => vendor.vendor);
    assert.ok(vendors.length >= 4);
    for (const vendor of vendors) {
      const devices = registry.devicesOf(vendor);
      assert.deepEqual(devices, registry.devices.filter((device) => device.vendor.vendor === vendor));
      assert.ok(devices.length > 0, vendor);
      assert.equal(registry.devicesOf(vendor), devices, "the same list, not built again");
    }
    assert.deepEqual(registry.devicesOf("No Such Vendor"), []);
    assert.equal(registry.devices, registry.devices);
  });
});

describe("lookups kept", () => {
  it("give one pair's result again without looking it up, and every pair its own", async () => {
    const registry = await loadRegistry();
    const first = registry.lookup("Sony", "D5503");
    assert.equal(first.kind, "device");
    assert.equal(registry.lookup("Sony", "D5503"), first, "the kept result");
    assert.notEqual(registry.lookup("Sony", "D6503"), first);
    assert.equal(registry.lookup(null, "D5503").kind, "device");
    assert.equal(registry.lookup("Sony", null).kind, "unregistered");
    // Past the kept pairs the memory starts again, and results stay right.
    for (let i = 0; i < 5000; i++) registry.lookup("Sony", `X${String(i)}`);
    assert.deepEqual(registry.lookup("Sony", "D5503"), first);
  });
});
