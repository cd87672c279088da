/**
 * `exifhunt registry import <source> <path>` from local checkouts (built here, or the Google Play rows
 * of test/data), and the bundled registry's rebuild from its pinned snapshots (skipped when the
 * snapshots are not on this machine).
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, it } from "node:test";
import { parseEndoflife, parseLineageDevice, parsePlayDevices } from "../src/registry/import/index.js";
import type { RegistryFile } from "../src/registry/types.js";
import { validateRegistry } from "../src/registry/validate.js";
import { parseNdjson, ROOT, runCli, tempDir } from "./helpers.js";

const PLAY_ROWS = join(ROOT, "test/data/google-play-sony-samsung-google.csv");

describe("the source readers", () => {
  it("read Google Play's CSV (quoted cells, UTF-16 decoded by the caller), endoflife.date front matter and LineageOS device files", () => {
    const play = parsePlayDevices('Retail Branding,Marketing Name,Device,Model\nSony,"Xperia 1, II",pdx203,XQ-AT52\n,,AD681H,Smartfren\n');
    assert.deepEqual(play, [
      { brand: "Sony", name: "Xperia 1, II", device: "pdx203", model: "XQ-AT52" },
      { brand: "", name: "", device: "AD681H", model: "Smartfren" },
    ]);
    const releases = parseEndoflife([
      "---",
      "title: Google Pixel",
      "releases:",
      '  - releaseCycle: "12"',
      '    releaseLabel: "Pixel 12"',
      "    releaseDate: 2027-08-20 # https://example.org/pixel-12",
      "    link: https://en.wikipedia.org/wiki/Pixel_12",
      "",
      '  - releaseCycle: "fold"',
      "    releaseDate: 2023-06-27",
      "---",
      "text",
    ].join("\n"));
    assert.deepEqual(releases, [
      { cycle: "12", label: "Pixel 12", releaseDate: "2027-08-20", link: "https://en.wikipedia.org/wiki/Pixel_12", dateSource: "https://example.org/pixel-12" },
      { cycle: "fold", label: "fold", releaseDate: "2023-06-27", link: null, dateSource: null },
    ]);
    assert.deepEqual(parseLineageDevice("codename: pdx257\nmodels: [XQ-FE54, XQ-FE72]\nname: Xperia 10 VII\nrelease: 2025-09-19\ntype: phone\nvendor: Sony\n"), {
      codename: "pdx257", vendor: "Sony", name: "Xperia 10 VII", release: "2025-09-19", models: ["XQ-FE54", "XQ-FE72"], type: "phone",
    });
    assert.equal(parseLineageDevice("name: x\n"), null);
  });
});

describe("exifhunt registry import", () => {
  it("google-play: a valid Sony layer of released devices, which a lookup then uses", async () => {
    const result = await runCli(["registry", "import", "google-play", PLAY_ROWS, "--vendor", "sony"]);
    assert.equal(result.code, 0, result.stderr);
    const layer = JSON.parse(result.stdout) as RegistryFile;
    assert.deepEqual(validateRegistry("import", layer), []);
    assert.equal(layer.vendor, "Sony");
    assert.equal(layer.coverage, undefined, "the numbering rules stay with the bundled file");
    assert.ok(layer.devices.length > 100, String(layer.devices.length));
    assert.ok(layer.devices.every((device) => device.status === "released"), "Google Play lists devices on sale");
    assert.ok(layer.devices.some((device) => device.name === "Xperia 1 II" && device.models.includes("XQ-AT52")));
    const dir = await tempDir();
    const file = join(dir, "sony.json");
    await writeFile(file, result.stdout);
    const lookup = await runCli(["registry", "lookup", "XQ-AT52", "--make", "Sony", "--date", "2026-12-01", "-f", "json", "--registry", file]);
    assert.equal(parseNdjson<{ verdict: string }>(lookup.stdout)[0]?.verdict, "known");
  });

  it("endoflife and lineage: a checkout's newer phones become known, its commit recorded", async () => {
    const checkout = await tempDir();
    await mkdir(join(checkout, "products"), { recursive: true });
    await writeFile(join(checkout, "products/pixel.md"), '---\nreleases:\n  - releaseCycle: "12"\n    releaseLabel: "Pixel 12"\n    releaseDate: 2027-08-20\n---\n');
    execFileSync("git", ["-C", checkout, "init", "-q"]);
    execFileSync("git", ["-C", checkout, "-c", "user.name=t", "-c", "user.email=t@example.org", "add", "."]);
    execFileSync("git", ["-C", checkout, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "pixel 12"]);
    const head = execFileSync("git", ["-C", checkout, "rev-parse", "HEAD"]).toString("utf8").trim();
    const out = join(await tempDir(), "layers");
    const result = await runCli(["registry", "import", "endoflife", checkout, "--out-dir", out]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /wrote .*google\.json \(1 devices\)/);
    const layer = JSON.parse(await readFile(join(out, "google.json"), "utf8")) as RegistryFile;
    assert.equal(layer.provenance?.[0]?.commit, head);
    assert.deepEqual(layer.devices.map((d) => [d.name, d.models, d.released]), [["Pixel 12", ["Pixel 12"], "2027-08-20"]]);
    // Without the layer a Pixel 12 photo of late 2027 is a next generation; with it, a known phone.
    const before = await runCli(["registry", "lookup", "Pixel 12", "--make", "Google", "--date", "2027-10-01", "-f", "json"]);
    assert.equal(parseNdjson<{ verdict: string }>(before.stdout)[0]?.verdict, "leak");
    const after = await runCli(["registry", "lookup", "Pixel 12", "--make", "Google", "--date", "2027-10-01", "-f", "json", "--registry", join(out, "google.json")]);
    assert.equal(parseNdjson<{ verdict: string }>(after.stdout)[0]?.verdict, "known");
  });

  it("says what is wrong with a path or a choice, exit 2", async () => {
    const missing = await runCli(["registry", "import", "lineage", "/nonexistent/checkout", "--vendor", "sony"]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /cannot read \/nonexistent\/checkout: no such file or folder/);
    const several = await runCli(["registry", "import", "google-play", PLAY_ROWS]);
    assert.equal(several.code, 2);
    assert.match(several.stderr, /name one with --vendor/);
  });
});

const MIRRORS = ["pajawa+android-devices", "endoflife-date+endoflife.date", "LineageOS+lineage_wiki"].map((name) => `/work/.mirror/${name}/repo`);

describe("the bundled registry's rebuild", { skip: MIRRORS.every(existsSync) ? false : "the pinned snapshots are not on this machine" }, () => {
  it("gives the committed files byte for byte", () => {
    const output = execFileSync(process.execPath, ["--import", "tsx", "scripts/registry/build.ts", "--check"], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
    assert.equal(output.toString("utf8"), "");
  });
});
