import assert from "node:assert/strict";
import { readFile, writeFile, readdir } from "node:fs/promises";
import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, it } from "node:test";
import type { ScanRecord } from "../src/record.js";
import { CLI, FIXTURES, parseNdjson, runCli, tempDir } from "./helpers.js";

const byName = (records: ScanRecord[]) => new Map(records.map((r) => [r.source.split("/").at(-1) ?? "", r]));

describe("exifhunt scan (CLI, end to end over fixtures/)", () => {
  it("is built as an executable, so that npx and the bin link can run it without node in front", async () => {
    const { stdout } = await promisify(execFile)(CLI, ["--version"]);
    const { version } = JSON.parse(await readFile(new URL("../package.json", import.meta.url), "utf8")) as { version: string };
    assert.equal(stdout.trim(), version);
  });

  it("reports the fixtures' verdicts as NDJSON, one complete record per photo, and skips non-images", async () => {
    const result = await runCli(["scan", "fixtures/", "--format", "ndjson"]);
    assert.equal(result.code, 0, result.stderr);
    const records = byName(parseNdjson<ScanRecord>(result.stdout));
    assert.deepEqual([...records.keys()].sort(), [
      "canon-eos-70d.avif",
      "canon-s40-exif.png",
      "htc-desire.webp",
      "no-camera.bmp",
      "no-camera.gif",
      "no-camera.heic",
      "phase-one-p45-exif.tif",
      "samsung-sm-s957u1-rumoured.jpg",
      "sony-cybershot-camera.jpg",
      "sony-d5503-prelaunch.jpg",
      "sony-d6503-released.jpg",
      "sony-d6503-unknown-firmware.jpg",
      "sony-d6999-unknown-model.jpg",
      "sony-e9999-z5-compact-firmware.jpg",
      "stripped.jpg",
    ]);
    assert.equal(records.get("sony-d5503-prelaunch.jpg")?.verdict, "leak");
    assert.equal(records.get("sony-d6503-released.jpg")?.verdict, "known");
    assert.equal(records.get("sony-cybershot-camera.jpg")?.verdict, "unregistered");
    assert.equal(records.get("stripped.jpg")?.verdict, "no-metadata");
    assert.equal(records.get("htc-desire.webp")?.camera?.model, "HTC Desire");
    assert.equal(records.get("canon-s40-exif.png")?.camera?.model, "Canon PowerShot S40");
    assert.equal(records.get("no-camera.heic")?.verdict, "no-metadata");
    const leak = records.get("sony-d5503-prelaunch.jpg");
    assert.equal(leak?.schema, 1);
    assert.equal(leak.kind, "file");
    // Flagged photos get the deep pass: the SHA-256 of the whole file.
    const { createHash } = await import("node:crypto");
    const expected = createHash("sha256").update(await readFile(`${FIXTURES}sony-d5503-prelaunch.jpg`)).digest("hex");
    assert.equal(leak.sha256, expected);
    assert.equal(records.get("sony-d6503-released.jpg")?.sha256, null);
  });

  it("prints a table, leaks first and each verdict by source, with reasons and a summary that counts skipped files (notes.txt, README.md)", async () => {
    const result = await runCli(["scan", "fixtures", "--format", "table"], { env: { COLUMNS: "200" } });
    assert.equal(result.code, 0);
    const lines = result.stdout.split("\n");
    assert.match(lines[0] ?? "", /^VERDICT\s+SOURCE\s+MAKE\s+MODEL\s+FIRMWARE\s+CAPTURED\s+DEVICE$/);
    const rows = lines.filter((l) => /^[a-z-]+\s+fixtures\//.test(l)).map((l) => l.split(/\s+/));
    assert.deepEqual([...new Set(rows.map((r) => r[0]))], ["leak", "unregistered", "known", "no-metadata"]);
    for (const verdict of ["leak", "unregistered", "no-metadata"]) {
      const sources = rows.filter((r) => r[0] === verdict).map((r) => r[1]);
      assert.deepEqual(sources, [...sources].sort(), verdict);
    }
    assert.ok(result.stdout.includes("! captured-before-announcement: shot 2013-10-22, 76 days before Xperia Z1 Compact was announced (2014-01-06)"));
    assert.match(result.stdout, /15 photos: 5 leak, 5 unregistered, 1 known, 4 no-metadata; 2 files skipped \(not images\)/);
  });

  it("writes a JSON array sorted by source to --out, the format taken from the extension", async () => {
    const dir = await tempDir("exifhunt-");
    const out = join(dir, "scan.json");
    const result = await runCli(["scan", "fixtures", "--out", out, "--concurrency", "3"]);
    assert.equal(result.code, 0, result.stderr);
    const records = JSON.parse(await readFile(out, "utf8")) as ScanRecord[];
    assert.equal(records.length, 15);
    assert.deepEqual(records.map((r) => r.source), records.map((r) => r.source).sort());
    assert.deepEqual(await readdir(dir), ["scan.json"], "no temporary file is left behind");
  });

  it("writes CSV with a header and one row per record", async () => {
    const result = await runCli(["scan", "fixtures", "-f", "csv"]);
    const rows = result.stdout.trimEnd().split("\r\n");
    assert.equal(rows.length, 16);
    assert.match(rows[0] ?? "", /^source,kind,verdict,finding_codes,findings,make,model,software,/);
    const leak = rows.find((row) => row.startsWith("fixtures/sony-d5503-prelaunch.jpg,"));
    assert.match(leak ?? "", /,leak,captured-before-announcement;prerelease-firmware,/);
  });

  it("gives every named input a record: a missing path and a non-image are error records, and exit 3", async () => {
    const result = await runCli(["scan", "fixtures/notes.txt", "fixtures/no-such.jpg", "fixtures/stripped.jpg", "-f", "ndjson"]);
    assert.equal(result.code, 3);
    const records = byName(parseNdjson<ScanRecord>(result.stdout));
    assert.equal(records.size, 3);
    assert.equal(records.get("notes.txt")?.verdict, "error");
    assert.equal(records.get("notes.txt")?.error?.code, "not-an-image");
    assert.equal(records.get("no-such.jpg")?.error?.code, "not-found");
    assert.match(records.get("no-such.jpg")?.error?.message ?? "", /fixtures\/no-such\.jpg: no such file/);
    assert.equal(records.get("stripped.jpg")?.verdict, "no-metadata");
  });

  it("--fail-on sets exit 1 only when a record reaches the verdict", async () => {
    assert.equal((await runCli(["scan", "fixtures", "-f", "ndjson", "--fail-on", "leak"])).code, 1);
    assert.equal((await runCli(["scan", "fixtures/sony-d6503-released.jpg", "-f", "ndjson", "--fail-on", "suspicious"])).code, 0);
    assert.equal((await runCli(["scan", "fixtures", "-f", "ndjson"])).code, 0);
  });

  it("exits 2 with a message that says what to fix for usage errors and bad registries", async () => {
    const noInput = await runCli(["scan"]);
    assert.equal(noInput.code, 2);
    assert.match(noInput.stderr, /name at least one photo, folder or URL/);
    const badFormat = await runCli(["scan", "fixtures", "--format", "xml"]);
    assert.equal(badFormat.code, 2);
    assert.match(badFormat.stderr, /Allowed choices are table, json, ndjson, csv/);
    const badNumber = await runCli(["scan", "fixtures", "--concurrency", "0"]);
    assert.equal(badNumber.code, 2);
    const dir = await tempDir("exifhunt-");
    const registry = join(dir, "bad.json");
    await writeFile(registry, JSON.stringify({ vendor: "Sony", devices: [{ name: "Z", models: ["D1"], released: "2014-02-31" }] }));
    const badRegistry = await runCli(["scan", "fixtures", "--registry", registry]);
    assert.equal(badRegistry.code, 2);
    assert.ok(badRegistry.stderr.includes(`${registry}: devices.0.released: no such day: 2014-02-31`), badRegistry.stderr);
    assert.equal(badRegistry.stdout, "");
  });

  it("layers a user registry: a device the bundled one lacks is matched", async () => {
    const dir = await tempDir("exifhunt-");
    const registry = join(dir, "mine.json");
    await writeFile(registry, JSON.stringify({ vendor: "Sony", devices: [{ name: "Xperia Z9 Mystery", models: ["D6999"], status: "rumoured" }] }));
    const result = await runCli(["scan", "fixtures/sony-d6999-unknown-model.jpg", "-f", "ndjson", "-r", registry]);
    const [record] = parseNdjson<ScanRecord>(result.stdout);
    assert.equal(record?.device?.name, "Xperia Z9 Mystery");
    assert.equal(record.device.registry, registry);
    assert.equal(record.verdict, "leak");
    assert.deepEqual(record.findings.map((f) => f.code), ["captured-before-announcement"]);
  });
});
