/**
 * The check that cannot drift: every model Google Play lists for a covered vendor (Sony, Samsung,
 * Google), looked up with the Make its phones write, is a known device or outside coverage, never a
 * leak or suspicious; and the device it names agrees with Google Play's marketing name. The rows are
 * test/data/google-play-sony-samsung-google.csv (kept out of fixtures/ so that scans of that folder stay as they were; its provenance is in fixtures/README.md). Through the library
 * (lookupPair, the code behind `exifhunt registry lookup`), in-process.
 */
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { describe, it } from "node:test";
import { lookupPair } from "../src/lookup.js";
import { cleanName, nameKey } from "../src/registry/import/names.js";
import { parseCsv, type PlayDevice } from "../src/registry/import/sources.js";
import { VENDORS, type VendorSpec } from "../src/registry/import/vendors.js";
import { loadRegistry } from "../src/registry/index.js";

const registry = await loadRegistry();
const [, ...cells] = parseCsv(await readFile(new URL("data/google-play-sony-samsung-google.csv", import.meta.url), "utf8"));
const rows: PlayDevice[] = cells.map(([brand = "", name = "", model = ""]) => ({ brand, name, device: "", model }));

/** After every listed device's release: a genuine photo of any of them must not be news. */
const AFTER_ALL = "2026-12-01";

interface Figures {
  rows: number;
  known: number;
  outside: number;
  news: string[];
  phones: number;
  phonesKnown: number;
  misnamed: string[];
}

function check(vendor: keyof typeof VENDORS, make: string): Figures {
  const spec: VendorSpec = VENDORS[vendor];
  const mine = rows.filter((row) => spec.play?.brands.includes(row.brand) === true);
  // Google Play sometimes lists one model under two names (C5306: Xperia SP and Xperia ZR): either agrees.
  const names = new Map<string, Set<string>>();
  for (const row of mine) names.set(row.model, (names.get(row.model) ?? new Set()).add(nameKey(row.name)));
  const figures: Figures = { rows: 0, known: 0, outside: 0, news: [], phones: 0, phonesKnown: 0, misnamed: [] };
  const phones = new Map<string, boolean>();
  for (const model of names.keys()) {
    const row = mine.find((r) => r.model === model);
    if (row === undefined) continue;
    figures.rows++;
    const answer = lookupPair(registry, { model, software: null, date: AFTER_ALL, make });
    if (answer.verdict === "leak" || answer.verdict === "suspicious") {
      figures.news.push(`${model} (${row.name}): ${answer.verdict} ${answer.findings.map((f) => f.code).join(",")}`);
    } else if (answer.device !== null) figures.known++;
    else figures.outside++;
    if (spec.play?.phone(row) !== true) continue;
    const phone = cleanName(row.name) || model;
    // A phone is known when every model Google Play lists for it names a device that agrees with its name.
    const found = registry.lookup(make, model);
    const agrees = found.kind === "device"
      && [found.device.entry.name, ...(found.device.entry.aliases ?? [])].some((name) => names.get(model)?.has(nameKey(name)) === true || nameKey(name) === nameKey(model));
    if (found.kind === "device" && !agrees) figures.misnamed.push(`${model}: Google Play "${[...(names.get(model) ?? [])].join('" or "')}", registry "${found.device.entry.name}"`);
    phones.set(phone, (phones.get(phone) ?? true) && agrees);
  }
  figures.phones = phones.size;
  figures.phonesKnown = [...phones.values()].filter(Boolean).length;
  const missing = [...phones].filter(([, known]) => !known).map(([phone]) => phone);
  if (missing.length > 0) console.log(`# ${spec.vendor} phones not known under their name: ${missing.join(", ")}`);
  console.log(`# ${spec.vendor}: ${String(figures.rows)} listed models: ${String(figures.known)} known, ${String(figures.outside)} outside coverage, ${String(figures.news.length)} leak/suspicious; ${String(figures.phones)} phones, ${String(figures.phonesKnown)} known under the right name (${(100 * figures.phonesKnown / figures.phones).toFixed(1)}%)`);
  return figures;
}

describe("the registry against Google Play's supported-devices list", () => {
  it("no listed Sony model is news with Make \"Sony\", and at least 95% of Sony's phones are known by their name", () => {
    const figures = check("sony", "Sony");
    assert.deepEqual(figures.news, []);
    assert.deepEqual(figures.misnamed, []);
    assert.ok(figures.rows > 400, String(figures.rows));
    assert.ok(figures.phonesKnown >= 0.95 * figures.phones, `${String(figures.phonesKnown)} of ${String(figures.phones)}`);
  });

  it("no listed Samsung model is news with Make \"samsung\", and at least 90% of Samsung's phones are known by their name", () => {
    const figures = check("samsung", "samsung");
    assert.deepEqual(figures.news, []);
    assert.ok(figures.rows > 2500, String(figures.rows));
    assert.ok(figures.phonesKnown >= 0.9 * figures.phones, `${String(figures.phonesKnown)} of ${String(figures.phones)}: ${figures.misnamed.slice(0, 20).join("; ")}`);
  });

  it("no listed Google model is news with Make \"Google\", and every Pixel phone is known by its name", () => {
    const figures = check("google", "Google");
    assert.deepEqual(figures.news, []);
    assert.deepEqual(figures.misnamed, []);
    assert.ok(figures.phones >= 25, String(figures.phones));
    assert.equal(figures.phonesKnown, figures.phones);
  });
});
